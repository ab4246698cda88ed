/**
 * Synthetic SDE events (`sdes.events[]`) as the Engagement History appendix
 * writes them: every payload value as text, with the quirks of its examples
 * (a capitalised `Currency`, a comma decimal, string prices), said in its
 * SDE dialect; what both SDE-carrying sources build alike comes from the
 * common SDE payloads.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import {
  CURRENCIES,
  drawCart,
  payloadTimes,
  SDE_TYPE_NAMES,
  type SdeDialect,
  sdePayload,
  type SdeType,
} from "../../common/simulator/sde_payloads.ts";
import SAMPLES from "./samples.json" with { type: "json" };

type Json = Record<string, unknown>;

/** A sample product, with its price as text. */
function product(random: Random): Json {
  return { ...random.pick(SAMPLES.products) };
}

/** A cart as the Engagement History appendix writes it: quantities as text. */
function cartProducts(random: Random): { products: Json[]; total: number } {
  const { lines, total } = drawCart(random, SAMPLES.products);
  const products = lines.map((line) => ({
    quantity: String(line.quantity),
    product: { ...line.product },
  }));
  return { products, total };
}

/** The Engagement History appendix's way with the fields the two APIs write differently. */
const ENGAGEMENT_HISTORY_DIALECT: SdeDialect = {
  balances: ["-400.99", "0", "1250.10", "12,5"],
  // The documented example capitalises this key; both spellings occur.
  currencyKey: (random) => random.chance(0.3) ? "Currency" : "currency",
  socialId: (random) => random.chance(0.5) ? random.int(1000, 9999) : null,
  companySize: (random) => random.chance(0.3) ? String(random.int(1, 5000)) : null,
  originatingChannel: (random) => String(random.int(0, 6)),
  leadValue: (random) => String(random.int(1, 500)) + ".00",
  leadCurrency: (random) => random.pick(CURRENCIES),
  serviceStatus: (random) => String(random.int(0, 13)),
  errorLevel: (random) => random.chance(0.5) ? String(random.int(0, 10)) : null,
  errorResolved: (random) => random.pick(["true", "false", null]),
  cartStatus(random) {
    const cart = cartProducts(random);
    return {
      total: cart.total.toFixed(2),
      currency: random.pick(CURRENCIES),
      numItems: String(cart.products.length),
      products: cart.products,
    };
  },
  // Its time stamps are added with the event's own (sdeEvent), after the payload is drawn.
  purchase(random) {
    const emptyCart = random.chance(0.3);
    const cart = cartProducts(random);
    return {
      total: cart.total.toFixed(2),
      currency: random.chance(0.2) ? null : random.pick(CURRENCIES),
      orderId: `ORD-${random.int(100000, 999999)}`,
      cart: emptyCart
        ? { total: null, currency: null, numItems: null, products: [], serverTimeStamp: null }
        : {
          total: cart.total.toFixed(2),
          currency: random.pick(CURRENCIES),
          numItems: String(cart.products.length),
          products: cart.products,
        },
    };
  },
  viewedProduct: (random) => ({
    currency: random.pick(CURRENCIES),
    products: Array.from({ length: random.int(1, 3) }, () => ({
      product: {
        ...product(random),
        statusInStock: random.pick(["In stock", "Out of stock", "NA"]),
        quantityInStock: random.chance(0.5) ? random.int(0, 50) : String(random.int(0, 50)),
      },
    })),
  }),
};

/**
 * Builds one SDE event of `type`, with string epoch-ms timestamps near `aroundMs`.
 *
 * @param random the record's stream
 * @param type the SDE type key
 * @param aroundMs a time close to the engagement (epoch ms)
 * @returns the event object (`{[type]: payload}` plus, usually, event-level fields)
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { sdeEvent } from "./dataset_sdes.ts";
 * import assert from "node:assert/strict";
 * const event = sdeEvent(createRandom(3), "lead", 1_700_000_000_000);
 * assert.equal(typeof (event.lead as { serverTimeStamp: unknown }).serverTimeStamp, "string");
 * ```
 */
export function sdeEvent(random: Random, type: SdeType, aroundMs: number): Json {
  const serverMs = aroundMs - random.int(0, 600_000);
  const body = sdePayload(random, type, { dialect: ENGAGEMENT_HISTORY_DIALECT, serverMs });
  const times = payloadTimes(random, serverMs);
  if (type === "purchase") {
    const cart = body.cart as Json;
    if (cart.total !== null) {
      cart.serverTimeStamp = String(serverMs);
      cart.originalTimeStamp = String(serverMs - random.int(0, 5_000));
    } else {
      cart.originalTimeStamp = null;
    }
  }
  const event: Json = { [type]: { ...times, ...body } };
  if (random.chance(0.75)) {
    event.isAuthenticated = random.chance(0.4);
    event.serverTimeStamp = String(serverMs);
    event.sdeType = SDE_TYPE_NAMES[type];
  }
  return event;
}
