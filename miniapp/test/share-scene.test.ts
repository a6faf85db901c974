import test from 'ava';
import { SCENE_MAX, parseScene as contractsParse, sceneOf } from '@linli/contracts';
import { parseScene } from '../src/utils/share-scene.js';

test('the landing page reads back every scene the BFF writes, within the host\'s 32 characters', (t) => {
  for (const [shareId, storeId] of [['sh_AbC_-12345678901234567', 'S001'], ['sh_zzzzzzzzzzzzzzzzzzzzzz', 'S123456'], ['sh_0123456789abcdef0123-_', null]] as const) {
    const scene = sceneOf(shareId, storeId)!;
    t.true(scene.length <= SCENE_MAX, scene);
    t.deepEqual(parseScene(scene), { shareId, storeId });
    t.deepEqual(parseScene(scene), contractsParse(scene));
  }
  t.is(sceneOf(`sh_${'a'.repeat(30)}`, 'S001'), null, 'a scene that would not fit is not made');
  for (const bad of ['', 'x', 'AAAAAAAAAAAAAAAAAAAAAA.X1', 'AAAAAAAAAAAAAAAAAAAAAA.S001.S002']) t.is(parseScene(bad), null, bad);
});
