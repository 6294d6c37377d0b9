// Generated from `orderSchema` (shared/domain/order-schema.ts) by `npm run generate:validator`; do
// not edit. It accepts exactly what the schema accepts (test/unit/domain/order-validator.test.ts,
// which also fails when this file is older than the schema), without loading zod.
import type { Order } from './order-schema.js';
import { type Rejected, rejected as r } from './schema-rejected.js';

const c0 = /^[A-Za-z0-9._:-]+$/;
const c1 = /^[A-Z]{3}$/;
const c2 = /^((\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)|(02)-(0[1-9]|1\d|2[0-8])))T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|([+-]\d{2}:?\d{2}))$/;
const c3 = new Set(["transientFailures","permanentFailure","failUntilRedriven"]);

export const acceptOrder = (input: any): Order | Rejected => {
  if (!(typeof input === 'object' && input !== null && (Object.getPrototypeOf(input) === Object.prototype || Object.getPrototypeOf(input) === null) && typeof input.then !== 'function')) return r;
  const v1: Record<string, unknown> = {};
  const v2 = input["orderId"];
  if (!(typeof v2 === 'string')) return r;
  if (!(v2.length >= 1)) return r;
  if (!(v2.length <= 128)) return r;
  if (!((c0.lastIndex = 0, c0.test(v2)))) return r;
  if (v2 !== undefined || "orderId" in input) v1["orderId"] = v2;
  const v3 = input["amount"];
  if (!(typeof v3 === 'number' && v3 === v3)) return r;
  if (!(Number.isFinite(v3))) return r;
  if (!(v3 >= 0)) return r;
  if (!(v3 <= 1000000000)) return r;
  if (v3 !== undefined || "amount" in input) v1["amount"] = v3;
  const v4 = input["currency"];
  let v5: unknown;
  {
    const v6 = v4 === undefined ? "EUR" : v4;
    if (!(typeof v6 === 'string')) return r;
    if (!((c1.lastIndex = 0, c1.test(v6)))) return r;
    v5 = v6;
  }
  if (v5 !== undefined || "currency" in input) v1["currency"] = v5;
  const v7 = input["customerId"];
  let v8: unknown;
  if (v7 !== undefined) {
    if (!(typeof v7 === 'string')) return r;
    if (!(v7.length >= 1)) return r;
    if (!(v7.length <= 128)) return r;
    v8 = v7;
  }
  if (v8 !== undefined || "customerId" in input) v1["customerId"] = v8;
  const v9 = input["items"];
  let v10: unknown;
  if (v9 !== undefined) {
    if (!(Array.isArray(v9))) return r;
    if (!(v9.length <= 500)) return r;
    const v11: unknown[] = new Array(v9.length);
    for (let v12 = 0; v12 < v9.length; v12 += 1) {
      const v13 = v9[v12];
      if (!(typeof v13 === 'object' && v13 !== null && (Object.getPrototypeOf(v13) === Object.prototype || Object.getPrototypeOf(v13) === null) && typeof v13.then !== 'function')) return r;
      const v14: Record<string, unknown> = {};
      const v15 = v13["sku"];
      if (!(typeof v15 === 'string')) return r;
      if (!(v15.length >= 1)) return r;
      if (!(v15.length <= 64)) return r;
      if (v15 !== undefined || "sku" in v13) v14["sku"] = v15;
      const v16 = v13["quantity"];
      if (!(typeof v16 === 'number' && v16 === v16)) return r;
      if (!(Number.isInteger(v16))) return r;
      if (!(v16 > 0)) return r;
      if (!(v16 <= 10000)) return r;
      if (v16 !== undefined || "quantity" in v13) v14["quantity"] = v16;
      v11[v12] = v14;
    }
    v10 = v11;
  }
  if (v10 !== undefined || "items" in input) v1["items"] = v10;
  const v17 = input["createdAt"];
  let v18: unknown;
  if (v17 !== undefined) {
    if (!(typeof v17 === 'string')) return r;
    if (!(c2.test(v17))) return r;
    v18 = v17;
  }
  if (v18 !== undefined || "createdAt" in input) v1["createdAt"] = v18;
  const v19 = input["simulate"];
  let v20: unknown;
  if (v19 !== undefined) {
    if (!(typeof v19 === 'object' && v19 !== null && (Object.getPrototypeOf(v19) === Object.prototype || Object.getPrototypeOf(v19) === null) && typeof v19.then !== 'function')) return r;
    for (const k in v19) if (!c3.has(k)) return r;
    const v21: Record<string, unknown> = {};
    const v22 = v19["transientFailures"];
    let v23: unknown;
    if (v22 !== undefined) {
      if (!(typeof v22 === 'number' && v22 === v22)) return r;
      if (!(Number.isInteger(v22))) return r;
      if (!(v22 >= 0)) return r;
      if (!(v22 <= 1000)) return r;
      v23 = v22;
    }
    if (v23 !== undefined || "transientFailures" in v19) v21["transientFailures"] = v23;
    const v24 = v19["permanentFailure"];
    let v25: unknown;
    if (v24 !== undefined) {
      if (!(typeof v24 === 'boolean')) return r;
      v25 = v24;
    }
    if (v25 !== undefined || "permanentFailure" in v19) v21["permanentFailure"] = v25;
    const v26 = v19["failUntilRedriven"];
    let v27: unknown;
    if (v26 !== undefined) {
      if (!(typeof v26 === 'boolean')) return r;
      v27 = v26;
    }
    if (v27 !== undefined || "failUntilRedriven" in v19) v21["failUntilRedriven"] = v27;
    v20 = v21;
  }
  if (v20 !== undefined || "simulate" in input) v1["simulate"] = v20;
  return v1 as Order;
};
