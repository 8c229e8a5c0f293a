/** 0x0001 terminal general response / 0x8001 platform general response: WORD answered serial, WORD answered ID, BYTE result. */
import { checkInt, need } from './need.ts';

export interface GeneralResponseBody {
  answerSerial: number;
  answerMsgId: number;
  /** 0 ok, 1 fail, 2 bad message, 3 unsupported; 0x8001 adds 4 = alarm handling confirmed. */
  result: number;
}

export function decodeGeneralResponse(b: Buffer): GeneralResponseBody {
  need(b, 5, 'general response');
  return { answerSerial: b.readUInt16BE(0), answerMsgId: b.readUInt16BE(2), result: b[4]! };
}

export function encodeGeneralResponse(v: GeneralResponseBody): Buffer {
  const b = Buffer.allocUnsafe(5);
  b.writeUInt16BE(checkInt('answerSerial', v.answerSerial, 0xffff), 0);
  b.writeUInt16BE(checkInt('answerMsgId', v.answerMsgId, 0xffff), 2);
  b[4] = checkInt('result', v.result, 0xff);
  return b;
}
