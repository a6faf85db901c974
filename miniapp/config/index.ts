import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

const bffUrl = process.env.LINLI_BFF_URL || 'http://127.0.0.1:8700';
// npm workspaces hoist most of Taro to the repo root but keep some plugins here: resolve both.
const localModules = path.resolve(__dirname, '..', 'node_modules');

const mockUrl = process.env.LINLI_MOCK_URL || 'http://127.0.0.1:8701';

// One source, two targets: each build goes to its own git-ignored folder (dist/weapp, dist/h5).
export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'linli-miniapp',
    date: '2026-11-22',
    designWidth: 375,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // LINLI_OUTPUT_ROOT (relative, under dist/) lets tests and the bench build beside the demo's build.
    outputRoot: process.env.LINLI_OUTPUT_ROOT || `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      // weapp calls the BFF by absolute URL; h5 uses same-origin /api (serve-h5.mjs proxies it).
      LINLI_BFF_URL: JSON.stringify(bffUrl),
      LINLI_MOCK_URL: JSON.stringify(mockUrl),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    // Webpack's persistent cache (node_modules/.cache): repeated builds (tests, demo) take seconds.
    cache: { enable: true },
    mini: {
      webpackChain(chain) {
        chain.resolve.modules.add(localModules).add('node_modules');
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      webpackChain(chain) {
        chain.resolve.modules.add(localModules).add('node_modules');
      },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[chunkhash:8].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});
