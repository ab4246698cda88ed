/**
 * Engagement attributes (SDEs) of a conversation: `sdes.events[]` (sent by an
 * authenticated consumer) and `unAuthSdes.events[]` (sent unauthenticated).
 *
 * Payloads are built typed as the Messaging Interactions appendix defines
 * them for `v=2` (balance double, companySize int, loginStatus int, totals and
 * prices double, numItems and quantity int, lead value double,
 * originatingChannel int, serviceActivity status int, visitorError level long
 * and resolved boolean), said in its SDE dialect over the common SDE
 * payloads; {@linkcode sdeEventsAsText} turns them into the all-strings form
 * of `v=1`. Time stamps are strings of epoch ms in both.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import {
  CURRENCIES,
  drawCart,
  payloadTimes,
  SDE_TYPE_NAMES,
  SDE_TYPES,
  type SdeDialect,
  sdePayload,
} from "../../common/simulator/sde_payloads.ts";
import type { ConversationContext } from "./context.ts";
import { AFTER_CLOSE_MS } from "./dataset_plan.ts";
import SAMPLES from "./samples.json" with { type: "json" };

type Json = Record<string, unknown>;

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A cart as the Messaging Interactions appendix types it: numbers, total in cents. */
function cart(random: Random): { products: Json[]; total: number } {
  const { lines, total } = drawCart(random, SAMPLES.products);
  const products = lines.map((line) => ({ quantity: line.quantity, product: { ...line.product } }));
  return { products, total: cents(total) };
}

/** The Messaging Interactions `v=2` types of the fields the two APIs write differently. */
const MESSAGING_DIALECT: SdeDialect = {
  balances: [-400.99, 0, 1250.1, 12.5],
  currencyKey: () => "currency",
  socialId: (random) => random.chance(0.5) ? `social-${random.int(1000, 9999)}` : null,
  companySize: (random) => random.chance(0.7) ? random.int(1, 5000) : null,
  loginStatus: (random) => random.int(0, 3),
  originatingChannel: (random) => random.int(0, 6),
  leadValue: (random) => cents(random.int(100, 50_000) / 100),
  leadCurrency: (random) => random.chance(0.2) ? null : random.pick(CURRENCIES),
  serviceStatus: (random) => random.int(0, 13),
  errorLevel: (random) => random.chance(0.6) ? random.int(0, 10) : null,
  errorResolved: (random) => random.pick([true, false, null]),
  cartStatus(random) {
    const { products, total } = cart(random);
    return { total, currency: random.pick(CURRENCIES), numItems: products.length, products };
  },
  purchase(random, serverMs) {
    const { products, total } = cart(random);
    const emptyCart = random.chance(0.3);
    return {
      total,
      currency: random.chance(0.2) ? null : random.pick(CURRENCIES),
      orderId: `ORD-${random.int(100000, 999999)}`,
      cart: emptyCart
        ? { total: null, currency: null, numItems: null, products: [], serverTimeStamp: null }
        : {
          total,
          currency: random.pick(CURRENCIES),
          numItems: products.length,
          products,
          serverTimeStamp: String(serverMs),
          originalTimeStamp: String(serverMs - random.int(0, 5_000)),
        },
    };
  },
  viewedProduct: (random) => ({
    currency: random.pick(CURRENCIES),
    products: Array.from({ length: random.int(1, 3) }, () => ({
      ...(random.chance(0.5) ? { quantity: random.int(1, 3) } : {}),
      product: {
        ...random.pick(SAMPLES.products),
        statusInStock: random.pick(["In stock", "Out of stock", "NA"]),
        quantityInStock: random.int(0, 50),
      },
    })),
  }),
};

/** When the conversation's SDEs may arrive: before it, during it, and a little after. */
function sdeTime(context: ConversationContext): number {
  const { random, plan } = context;
  const early = plan.start - 30 * 60_000;
  if (plan.conversationEnd === -1) {
    return random.int(early, plan.messageTimes.at(-1) ?? plan.start + 60_000);
  }
  return random.chance(0.1)
    ? random.int(plan.conversationEnd + 1, plan.conversationEnd + AFTER_CLOSE_MS)
    : random.int(early, plan.conversationEnd);
}

/**
 * Builds the events of `sdes` (authenticated) or `unAuthSdes`, in time order.
 *
 * @param context the conversation being built
 * @param options whether the consumer was authenticated
 * @returns one to five events, typed as for `v=2`
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { sdeEventsNode } from "./nodes_sdes.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * const events = sdeEventsNode(context, { authenticated: false });
 * assert.ok(events.every((event) => event.isAuthenticated === false));
 * ```
 */
export function sdeEventsNode(
  context: ConversationContext,
  options: { readonly authenticated: boolean },
): Json[] {
  const { random } = context;
  const events: Json[] = [];
  for (let i = random.int(1, 5); i > 0; i--) {
    const type = random.pick(SDE_TYPES);
    const serverMs = sdeTime(context);
    const times: Json = payloadTimes(random, serverMs);
    const body = sdePayload(random, type, { dialect: MESSAGING_DIALECT, serverMs });
    // The documented unauthenticated example repeats the flag inside some payloads.
    if (!options.authenticated && random.chance(0.3)) times.isAuthenticated = false;
    const event: Json = {
      [type]: { ...times, ...body },
      sdeType: SDE_TYPE_NAMES[type],
      serverTimeStamp: String(serverMs),
    };
    if (!options.authenticated) event.isAuthenticated = false;
    else if (random.chance(0.5)) event.isAuthenticated = true;
    events.push(event);
  }
  return events.sort((a, b) => Number(a.serverTimeStamp) - Number(b.serverTimeStamp));
}

function textValues(value: unknown, key: string): unknown {
  if (key === "isAuthenticated") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map((item) => textValues(item, ""));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, textValues(inner, name)]),
    );
  }
  return value;
}

/**
 * The `v=1` form of SDE events: every payload value as text (nulls stay null,
 * the `isAuthenticated` flags stay booleans).
 *
 * @param events events as built (typed, `v=2`)
 * @returns new events; the input is not changed
 *
 * @example
 * ```ts
 * import { sdeEventsAsText } from "./nodes_sdes.ts";
 * import assert from "node:assert/strict";
 * const [event] = sdeEventsAsText([{ lead: { lead: { value: 22.5, currency: null } },
 *   sdeType: "LEAD", isAuthenticated: false }]);
 * assert.deepEqual(event, { lead: { lead: { value: "22.5", currency: null } }, sdeType: "LEAD",
 *   isAuthenticated: false });
 * ```
 */
export function sdeEventsAsText(events: readonly Json[]): Json[] {
  return events.map((event) => {
    const copy: Json = { ...event };
    for (const type of SDE_TYPES) {
      if (type in copy) copy[type] = textValues(copy[type], type);
    }
    return copy;
  });
}
