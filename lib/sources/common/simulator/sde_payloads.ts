/**
 * SDE (engagement attribute) payloads for every simulated source that
 * carries them: the type keys and their event-level names, and one builder
 * per type that both API appendices document with the same fields.
 *
 * The appendices write some fields differently (Engagement History as text,
 * with the quirks of its examples; Messaging Interactions `v=2` typed). A
 * source says how it writes those in its {@linkcode SdeDialect}, together
 * with the payloads whose shape is its own (carts, purchases, viewed
 * products); the rest is built here. Every builder draws from the record's
 * own stream in a fixed order, so the datasets stay reproducible.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import { AWKWARD_STRINGS, maybeAwkward } from "../../../simulator/values.ts";

type Json = Record<string, unknown>;

/** The SDE type keys (one per event), as in the appendices. */
export const SDE_TYPES = Object.freeze(
  [
    "cartStatus",
    "customerInfo",
    "personalInfo",
    "marketingCampaignInfo",
    "lead",
    "purchase",
    "viewedProduct",
    "serviceActivity",
    "visitorError",
    "searchContent",
  ] as const,
);

/** One SDE type key. */
export type SdeType = typeof SDE_TYPES[number];

/** The event-level `sdeType` of each type key. */
export const SDE_TYPE_NAMES: Readonly<Record<SdeType, string>> = Object.freeze({
  cartStatus: "CART_STATUS",
  customerInfo: "CUSTOMER_INFO",
  personalInfo: "PERSONAL_INFO",
  marketingCampaignInfo: "MARKETING_CAMPAIGN_INFO",
  lead: "LEAD",
  purchase: "PURCHASE",
  viewedProduct: "VIEWED_PRODUCT",
  serviceActivity: "SERVICE_ACTIVITY",
  visitorError: "VISITOR_ERROR",
  searchContent: "SEARCH_CONTENT",
});

/** The currencies SDE payloads name. */
export const CURRENCIES = Object.freeze(["USD", "EUR", "ILS", "JPY", "GBP"] as const);

/** Draws one field's value from the record's stream. */
export type FieldDraw = (random: Random) => unknown;

/**
 * How a source's API writes what the two appendices document differently:
 * one draw per field that differs, and the payloads whose shape is its own.
 * The builders call each draw where the field stands in the payload.
 */
export interface SdeDialect {
  /** `customerInfo.balance`: the balances a customer may have. */
  readonly balances: readonly (number | string)[];
  /** `customerInfo`: the key its currency stands under. */
  readonly currencyKey: (random: Random) => string;
  /** `customerInfo.socialId`. */
  readonly socialId: FieldDraw;
  /** `customerInfo.companySize`. */
  readonly companySize: FieldDraw;
  /** `customerInfo.loginStatus`, for an API that documents it. */
  readonly loginStatus?: FieldDraw;
  /** `marketingCampaignInfo.originatingChannel`. */
  readonly originatingChannel: FieldDraw;
  /** `lead.value`. */
  readonly leadValue: FieldDraw;
  /** `lead.currency`. */
  readonly leadCurrency: FieldDraw;
  /** `serviceActivity.status`. */
  readonly serviceStatus: FieldDraw;
  /** `visitorError.level`. */
  readonly errorLevel: FieldDraw;
  /** `visitorError.resolved`. */
  readonly errorResolved: FieldDraw;
  /** The `cartStatus` payload. */
  readonly cartStatus: (random: Random) => Json;
  /** The `purchase` payload, for an event the server received at `serverMs`. */
  readonly purchase: (random: Random, serverMs: number) => Json;
  /** The `viewedProduct` payload. */
  readonly viewedProduct: (random: Random) => Json;
}

/** A product of a source's sample list: its price as that source writes it. */
export interface SampleProduct {
  readonly name: string;
  readonly category: string;
  readonly sku: string;
  readonly price: number | string;
}

/** One line of a drawn cart. */
export interface CartLine<Product extends SampleProduct> {
  readonly quantity: number;
  readonly product: Product;
}

/**
 * Draws a cart: one to three lines of one to four of a product each.
 *
 * @param random the record's stream
 * @param products the source's sample products
 * @returns the lines and their total price, unrounded
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { drawCart } from "./sde_payloads.ts";
 * import assert from "node:assert/strict";
 * const product = { name: "tea", category: "grocery", sku: "t-1", price: "2.5" };
 * const { lines, total } = drawCart(createRandom(1), [product]);
 * assert.equal(total, lines.reduce((sum, line) => sum + line.quantity * 2.5, 0));
 * ```
 */
export function drawCart<Product extends SampleProduct>(
  random: Random,
  products: readonly Product[],
): { lines: CartLine<Product>[]; total: number } {
  const lines: CartLine<Product>[] = [];
  let total = 0;
  for (let i = random.int(1, 3); i > 0; i--) {
    const quantity = random.int(1, 4);
    const product = random.pick(products);
    total += quantity * Number(product.price);
    lines.push({ quantity, product });
  }
  return { lines, total };
}

/** A date as the appendices split it: `year`, `month` and `day`, as text. */
function datePart(random: Random, years: readonly [number, number]): Record<string, string> {
  return {
    year: String(random.int(years[0], years[1])),
    month: String(random.int(1, 12)),
    day: String(random.int(1, 28)),
  };
}

/**
 * The time stamps a payload carries: `serverTimeStamp`, and usually an
 * `originalTimeStamp` a little earlier (older revisions have none).
 *
 * @param random the record's stream
 * @param serverMs when the server received the event, epoch ms
 * @returns the stamps, as text of epoch ms
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { payloadTimes } from "./sde_payloads.ts";
 * import assert from "node:assert/strict";
 * assert.equal(payloadTimes(createRandom(1), 1_000_000).serverTimeStamp, "1000000");
 * ```
 */
export function payloadTimes(random: Random, serverMs: number): Record<string, string> {
  const times: Record<string, string> = { serverTimeStamp: String(serverMs) };
  if (random.chance(0.85)) times.originalTimeStamp = String(serverMs - random.int(0, 5_000));
  return times;
}

/** The `personalInfo` payload: names, gender, company, language, age, contacts. */
function personalInfoPayload(random: Random): Json {
  return {
    personalInfo: {
      name: maybeAwkward(random, random.pick(["Dana", "Kenji", "נועה", "Alex"])),
      surname: maybeAwkward(random, random.pick(["Levi", "Sato", "O'Brien", "García"])),
      gender: random.pick(["MALE", "FEMALE", "OTHER", "NA"]),
      company: maybeAwkward(random, "Acme Widgets, Inc."),
      language: random.pick(["English", "Hebrew", "Japanese", "en-US"]),
      customerAge: {
        customerAgeInYears: `${random.int(18, 80)}.0`,
        customerYearOfBirth: String(random.int(1944, 2006)),
        customerMonthOfBirth: String(random.int(1, 12)),
        customerDateOfBirth: String(random.int(1, 28)),
      },
      contacts: Array.from({ length: random.int(0, 2) }, () => ({
        personalContact: {
          email: random.chance(0.1) ? "undefined" : `person${random.int(1, 9999)}@example.com`,
          phone: random.pick(["+1 212-555-0100", "+972-3-555-0199", "03-5555-0123", ""]),
          ...(random.chance(0.6)
            ? {
              address: {
                country: random.pick(["US", "IL", "JP"]),
                region: random.pick(["NY", "Tel Aviv", "東京都"]),
                zipCode: String(random.int(10000, 99999)),
              },
            }
            : {}),
        },
      })),
    },
  };
}

/** The `searchContent` payload: zero to three keywords, some awkward. */
function searchContentPayload(random: Random): Json {
  return {
    keywords: Array.from(
      { length: random.int(0, 3) },
      () =>
        random.chance(0.2)
          ? random.pick(AWKWARD_STRINGS)
          : random.pick(["modem", "refund", "返品", "החזר"]),
    ),
  };
}

/**
 * The `customerInfo` payload, with its balance, currency key, social id,
 * company size and login status as the dialect writes them.
 */
function customerInfoPayload(random: Random, dialect: SdeDialect): Json {
  return {
    customerInfo: {
      customerStatus: random.pick(["active", "cancelled", "suspended", "null"]),
      customerType: random.pick(["vip", "regular", "new", ""]),
      balance: random.pick(dialect.balances),
      [dialect.currencyKey(random)]: random.pick(CURRENCIES),
      customerId: `C${random.int(10000, 99999)}`,
      socialId: dialect.socialId(random),
      imei: random.chance(0.2) ? String(random.int(100000000, 999999999)) : null,
      userName: maybeAwkward(random, `user${random.int(1, 999)}`, { sentinels: true }),
      accountName: random.chance(0.5) ? "Main account" : null,
      role: random.pick(["owner", "member", null]),
      companySize: dialect.companySize(random),
      companyBranch: random.pick(["north", "south", "מרכז", null]),
      storeNumber: `store${random.int(1, 300)}`,
      storeZipCode: random.chance(0.5) ? String(random.int(10000, 99999)) : null,
      ...(dialect.loginStatus ? { loginStatus: dialect.loginStatus(random) } : {}),
      lastPaymentDate: datePart(random, [2019, 2024]),
      registrationDate: datePart(random, [2010, 2019]),
    },
  };
}

/**
 * Builds the payload of one SDE event of `type`.
 *
 * @param random the record's stream
 * @param type the SDE type key
 * @param options the source's `dialect`, and `serverMs`, when the server received the event
 * @returns the payload, without the time stamps every payload carries
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { type SdeDialect, sdePayload } from "./sde_payloads.ts";
 * import assert from "node:assert/strict";
 * const typed = (random: { int(min: number, max: number): number }) => random.int(0, 9);
 * const dialect: SdeDialect = {
 *   balances: [0],
 *   currencyKey: () => "currency",
 *   socialId: () => null,
 *   companySize: typed,
 *   originatingChannel: typed,
 *   leadValue: typed,
 *   leadCurrency: () => "USD",
 *   serviceStatus: typed,
 *   errorLevel: typed,
 *   errorResolved: () => true,
 *   cartStatus: () => ({}),
 *   purchase: () => ({}),
 *   viewedProduct: () => ({}),
 * };
 * const payload = sdePayload(createRandom(1), "serviceActivity", { dialect, serverMs: 0 });
 * assert.equal(typeof (payload.serviceActivity as { status: unknown }).status, "number");
 * ```
 */
export function sdePayload(
  random: Random,
  type: SdeType,
  options: { readonly dialect: SdeDialect; readonly serverMs: number },
): Json {
  const { dialect } = options;
  switch (type) {
    case "cartStatus":
      return dialect.cartStatus(random);
    case "customerInfo":
      return customerInfoPayload(random, dialect);
    case "personalInfo":
      return personalInfoPayload(random);
    case "marketingCampaignInfo":
      return {
        marketingCampaignInfo: {
          originatingChannel: dialect.originatingChannel(random),
          affiliate: random.pick(["search-partner", "newsletter", "", "null"]),
          campaignId: maybeAwkward(random, "spring coupon campaign"),
        },
      };
    case "lead":
      return {
        lead: {
          topic: maybeAwkward(random, "home internet upgrade"),
          value: dialect.leadValue(random),
          leadId: `lead-${random.int(1000, 9999)}`,
          currency: dialect.leadCurrency(random),
        },
      };
    case "purchase":
      return dialect.purchase(random, options.serverMs);
    case "viewedProduct":
      return dialect.viewedProduct(random);
    case "serviceActivity":
      return {
        serviceActivity: {
          topic: maybeAwkward(random, "replace router"),
          status: dialect.serviceStatus(random),
          category: random.pick(["finance", "technical", "billing"]),
          serviceId: `service${random.int(1, 99)}`,
        },
      };
    case "visitorError":
      return {
        visitorError: {
          contextId: random.chance(0.5) ? `ctx-${random.int(1, 999)}` : null,
          message: maybeAwkward(random, "Expiry date missing"),
          code: `er${random.int(100000, 999999)}`,
          level: dialect.errorLevel(random),
          resolved: dialect.errorResolved(random),
        },
      };
    case "searchContent":
      return searchContentPayload(random);
  }
}
