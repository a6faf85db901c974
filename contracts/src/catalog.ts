import { z } from 'zod';
import { Cents, PriceCents, StoreId } from './common.js';

/** A category code as the catalog stores it (fruit, veg, …). */
export const CategoryId = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'must be a category code');
/** A product code: P0001, P0002, … */
export const ProductId = z.string().regex(/^P\d{4,8}$/, 'must be a product code like P0001');
/** Opaque page cursor handed out as `nextCursor`; clients send it back unchanged. */
export const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a cursor returned by the API');

export const ProductsQuery = z
  .object({
    storeId: StoreId,
    category: CategoryId.optional(),
    /**
     * Keyword, matched case- and width-insensitively (NFKC + lower case) inside the title or the
     * category's name (水果 finds every product of 新鲜水果). The search screen's one round trip.
     */
    q: z.string().trim().min(1).max(40).optional(),
    cursor: Cursor.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type ProductsQuery = z.infer<typeof ProductsQuery>;

export const ProductDetailQuery = z.object({ storeId: StoreId }).strict();
export type ProductDetailQuery = z.infer<typeof ProductDetailQuery>;

export const CategoryDto = z.object({ id: z.string(), name: z.string(), icon: z.string(), sort: z.number().int() });
export type CategoryDto = z.infer<typeof CategoryDto>;

/** A product as one store sells it: that store's price, member price and stock. */
export const ProductDto = z.object({
  id: z.string(),
  title: z.string(),
  subtitle: z.string(),
  categoryId: z.string(),
  unit: z.string(),
  /**
   * The product picture: a path the BFF serves under the API base (`/static/products/<hash>.svg`,
   * cacheable for good), an absolute URL, or a data URI. Clients resolve a path against their API base.
   */
  image: z.string(),
  priceCents: Cents,
  memberPriceCents: Cents,
  stock: z.number().int().min(0),
  /** On sale here and in stock. */
  available: z.boolean(),
});
export type ProductDto = z.infer<typeof ProductDto>;

export const ProductPage = z.object({
  items: z.array(ProductDto),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ProductPage = z.infer<typeof ProductPage>;

export const ProductsResponse = ProductPage.extend({ storeId: z.string() });
export type ProductsResponse = z.infer<typeof ProductsResponse>;

/** An active group deal as the catalog shows it, with how many groups are open to join at the store. */
export const DealSummaryDto = z.object({
  id: z.string(),
  productId: z.string(),
  title: z.string(),
  groupSize: z.number().int(),
  groupPriceCents: Cents,
  soloPriceCents: Cents,
  endAt: z.string(),
  openGroups: z.number().int().min(0),
});
export type DealSummaryDto = z.infer<typeof DealSummaryDto>;

export const ProductDetailResponse = z.object({
  product: ProductDto,
  storeId: z.string(),
  deals: z.array(DealSummaryDto),
});
export type ProductDetailResponse = z.infer<typeof ProductDetailResponse>;

export const CategoriesResponse = z.object({ categories: z.array(CategoryDto) });
export type CategoriesResponse = z.infer<typeof CategoriesResponse>;

/** Admin change of one store's price or stock of a product. */
export const InventoryPatchBody = z
  .object({
    priceCents: PriceCents.optional(),
    memberPriceCents: PriceCents.optional(),
    /**
     * A change of stock, added with `$inc` (never a value written over the shelf), so a sale made
     * while the admin edits is kept. Refused when it would take stock below zero.
     */
    stockDelta: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type InventoryPatchBody = z.infer<typeof InventoryPatchBody>;

export const InventoryDto = z.object({
  storeId: z.string(),
  productId: z.string(),
  priceCents: Cents,
  memberPriceCents: Cents,
  stock: z.number().int().min(0),
  active: z.boolean(),
});
export type InventoryDto = z.infer<typeof InventoryDto>;

/** Admin: a new product, listed at the given stores (every active store when omitted). */
export const CreateProductBody = z
  .object({
    title: z.string().trim().min(1).max(60),
    subtitle: z.string().max(60).default(''),
    categoryId: CategoryId,
    unit: z.string().min(1).max(8),
    /** As ProductDto.image; empty gives a neutral tile. */
    image: z.string().max(4000).default(''),
    basePriceCents: PriceCents,
    stock: z.number().int().min(0).max(1_000_000).default(0),
    storeIds: z.array(StoreId).max(500).optional(),
  })
  .strict();
export type CreateProductBody = z.infer<typeof CreateProductBody>;
