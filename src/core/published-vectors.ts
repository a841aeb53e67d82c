import { apiStringToSign } from './request-signing.js';
import { hmacHex } from './signing.js';
import { webhookStringToSign } from './webhook-signature.js';

interface Vector {
  id: string;
  key: string;
  time?: string;
  body?: string;
  query?: string;
  webhook?: boolean;
  stringToSign: string;
  signature: string;
}

const DEMO_SECRET = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';

/**
 * BlockATM's signing examples (Part B §3): the documented widget URL signature, and the
 * documented rule applied to the docs' request and webhook examples. Keys are the docs' demo keys.
 */
export const PUBLISHED_VECTORS: readonly Vector[] = [
  {
    id: 'V-URL-1', key: 'sk_ci_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0',
    stringToSign: 'apiKey=pk_payment_my3T68cbuIXf1x3QOEbWtFEfcJPxeBr8wTewDVM&custNo=C86002201&orderNo=C202503225',
    signature: '5b2419abcb925389c3f6cb42f35eed85ec36b95578a9d25ee500f9fafdeb08dc',
  },
  {
    id: 'V-API-1', key: DEMO_SECRET, time: '1742723373000',
    body: '{"custNo":"86000123","orderNo":"202504001399","lang":"zh-CN"}',
    stringToSign: 'custNo=86000123&lang=zh-CN&orderNo=202504001399&time=1742723373000',
    signature: '8af78986868737de292b2eac4225290f8699dbd320f9f6457d4c78a820a1b3bb',
  },
  {
    id: 'V-API-4', key: DEMO_SECRET, time: '1743060268000', query: 'bizOrderNo=B202505220012',
    stringToSign: 'bizOrderNo=B202505220012&time=1743060268000',
    signature: 'b2d904016298a5c5a3ec5b3afe5da49ed27a39fb765b3175c92c8235f8e4af8e',
  },
  {
    id: 'V-API-5', key: DEMO_SECRET, time: '1743060268000', query: '',
    stringToSign: 'time=1743060268000',
    signature: '84272a0cf09d7214cfb1010da9bf5260eab9099d9df351d0851dc77bf6abe076',
  },
  {
    id: 'V-WH-2', key: DEMO_SECRET, time: '1743060268000', webhook: true,
    body: '{"custNo":"CustNo_00240101","orderNo":"OrderNo_202504010023","id":8210003616,"symbol":"USDT","amount":"2000.00","status":"SUCCESS","txId":"0x7614a9840d9422feaef4671e0ee98dd7092ebcba6e41076285f99d0b2b0de5fe","network":"Ethereum","chainId":"1","fromAddress":"0xa9e358e33a57e67c9b84618a52f0194c345c8e35","cashierId":86100021}',
    stringToSign: 'amount=2000.00&cashierId=86100021&chainId=1&custNo=CustNo_00240101&fromAddress=0xa9e358e33a57e67c9b84618a52f0194c345c8e35&id=8210003616&network=Ethereum&orderNo=OrderNo_202504010023&status=SUCCESS&symbol=USDT&txId=0x7614a9840d9422feaef4671e0ee98dd7092ebcba6e41076285f99d0b2b0de5fe&time=1743060268000',
    signature: '7ff3c4c25d55af41a39be565d31120134764c280885fb1c24961ff76db033daa',
  },
];

/** Re-signs every published vector with this build's signing code; lists the ones that differ. */
export function checkPublishedVectors(): { total: number; mismatched: string[] } {
  const mismatched: string[] = [];
  for (const vector of PUBLISHED_VECTORS) {
    let text: string | undefined = vector.stringToSign;
    if (vector.time !== undefined) {
      const built = vector.webhook
        ? webhookStringToSign('sorted', vector.body ?? '', vector.time)
        : apiStringToSign({ body: vector.body, query: vector.query, time: vector.time });
      text = built.ok ? built.value.stringToSign : undefined;
    }
    if (text !== vector.stringToSign || hmacHex(vector.key, text) !== vector.signature) mismatched.push(vector.id);
  }
  return { total: PUBLISHED_VECTORS.length, mismatched };
}
