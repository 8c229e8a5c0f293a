/** JT/T 808 checksum: XOR of every byte from the first header byte to the last body byte (un-escaped data). */
export function xorChecksum(buf: Buffer, start = 0, end = buf.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= buf[i]!;
  return x;
}
