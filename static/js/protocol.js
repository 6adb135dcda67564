// Decoding of the server's binary messages (docs/protocol.md): a uint32 little-endian header length, a JSON
// header, zero padding to a multiple of 8, then the arrays at their offsets. Arrays become typed-array views on
// the received buffer (no copy), but float16 (the loss history), which becomes a Float32Array; each carries its
// shape.

const ALIGN = 8;
const TYPES = { int8: Int8Array, int32: Int32Array, float32: Float32Array, float16: Uint16Array };
const decoder = new TextDecoder();

/** An IEEE 754 half-precision number from its 16 bits. */
function half(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Decode one binary message into {header, arrays: {name: TypedArray with a .shape}}. */
export function decodeBinary(buffer) {
  const length = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(decoder.decode(new Uint8Array(buffer, 4, length)));
  const base = 4 + length + ((ALIGN - ((4 + length) % ALIGN)) % ALIGN);
  const arrays = {};
  for (const entry of header.arrays) {
    const Type = TYPES[entry.dtype];
    if (!Type) throw new Error(`unknown dtype ${entry.dtype} for array ${entry.name}`);
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const raw = new Type(buffer, base + entry.offset, count);
    const view = entry.dtype === "float16" ? Float32Array.from(raw, half) : raw;
    view.shape = entry.shape;
    arrays[entry.name] = view;
  }
  return { header, arrays };
}
