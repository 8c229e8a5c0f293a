import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeWire } from './decode.ts';
import { encodeMessage } from './encode.ts';
import { Jt808Error } from './errors.ts';
import { VECTORS } from './fixtures/vectors.ts';
import { Jt808FrameSplitter } from './frame-splitter.ts';
import { expectSubset } from './test-helpers.ts';
import type { ParameterItem } from './bodies/parameters.ts';

/** Valid frames that do not re-encode byte-for-byte, and why. */
const NO_REENCODE: Record<string, string> = {};

describe('jt808-vectors.md: every frame', () => {
  for (const v of VECTORS) {
    it(`${v.id} - ${v.title}`, () => {
      const wire = Buffer.from(v.hex, 'hex');
      if (v.kind === 'framing') {
        const out = new Jt808FrameSplitter().push(wire);
        assert.deepEqual(
          out.map((o) => o.frame?.bytes.toString('hex') ?? o.error?.code),
          v.frames,
        );
        return;
      }
      if (v.error) {
        assert.throws(() => decodeWire(wire), (e: unknown) => e instanceof Jt808Error && e.code === v.error);
        // the splitter path gives the same verdict
        const [out] = new Jt808FrameSplitter().push(wire);
        assert.ok(out?.frame);
        return;
      }
      const msg = decodeWire(wire);
      expectSubset(msg.header, v.header, 'header');
      expectSubset(msg.body, v.body, 'body');
      if (v.paramCount !== undefined) {
        const params = (msg.body as { params: ParameterItem[] }).params;
        assert.equal(params.length, v.paramCount);
        for (const [id, value] of Object.entries(v.params ?? {})) assert.deepEqual(params.find((p) => p.id === Number(id))?.value, value, `param ${id}`);
      }
      if (msg.header.quirks.length === 0 && !(v.id in NO_REENCODE)) {
        assert.equal(encodeMessage(msg).toString('hex'), v.hex.toLowerCase(), 're-encodes to the same bytes');
      }
    });
  }

  const md = '/work/shared/reference/jt808-vectors.md';
  it('the fixture holds every frame of the vectors file (when the file is present)', { skip: !existsSync(md) }, () => {
    const text = readFileSync(md, 'utf8');
    const ids = [...text.matchAll(/^### (\S+) - /gm)].map((m) => m[1]);
    const hexes = [...text.matchAll(/```\n\s*([0-9A-Fa-f]+)\n\s*```/g)].map((m) => m[1]);
    assert.deepEqual(VECTORS.map((v) => v.id), ids);
    assert.deepEqual(VECTORS.map((v) => v.hex), hexes);
  });
});
