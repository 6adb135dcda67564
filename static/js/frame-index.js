// Where things are in a frame's flat arrays: (layer, neuron) and (layer, source, target) as offsets.

/** Offset of neuron (layer, neuron) in the thumbnails (layer >= 1): the hidden layers first, the output last. The
 *  inputs' thumbnails are not in frames: they never change, and the page has them (`featureThumbs`). */
export function neuronIndex(sizes, layer, neuron) {
  let index = neuron;
  for (let l = 1; l < layer; l += 1) index += sizes[l];
  return index;
}

/** Offset of the weight from `source` in layer-1 to `target` in layer (layer >= 1). */
export function weightIndex(sizes, layer, source, target) {
  let index = 0;
  for (let l = 1; l < layer; l += 1) index += sizes[l - 1] * sizes[l];
  return index + source * sizes[layer] + target;
}

/** Offset of the bias of (layer, neuron) (layer >= 1). */
export function biasIndex(sizes, layer, neuron) {
  let index = neuron;
  for (let l = 1; l < layer; l += 1) index += sizes[l];
  return index;
}
