/**
 * Synthetic SDE events (`sdes.events[]`), one builder per documented type.
 *
 * @module
 */

import type { Random } from "./random.ts";
import { AWKWARD_STRINGS, maybeAwkward } from "./values.ts";

/** The SDE type keys of the Engagement History appendix. */
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

const SDE_TYPE_NAMES: Readonly<Record<SdeType, string>> = {
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
};

const PRODUCTS = [
  { name: "trail running shoe", category: "footwear", sku: "fw-1021", price: "89.90" },
  { name: "noise cancelling headset", category: "audio", sku: "au-330", price: "149.00" },
  { name: "family data plan", category: "mobile plans", sku: "mp-12", price: "45" },
  { name: "ceramic tea set", category: "kitchen", sku: "kt-77", price: "32.5" },
  { name: "ספר בישול", category: "books", sku: "bk-9001", price: "19.99" },
  { name: "抹茶セット", category: "grocery", sku: "gr-4", price: "1200" },
  { name: 'monitor 27", 4K | matte', category: "displays", sku: "ds-27,4k", price: "329.00" },
] as const;

const CURRENCIES = ["USD", "EUR", "ILS", "JPY", "GBP"] as const;

function product(random: Random): Record<string, unknown> {
  const item = random.pick(PRODUCTS);
  return { name: item.name, category: item.category, sku: item.sku, price: item.price };
}

function cartProducts(random: Random): { products: Record<string, unknown>[]; total: number } {
  const products: Record<string, unknown>[] = [];
  let total = 0;
  for (let i = random.int(1, 3); i > 0; i--) {
    const quantity = random.int(1, 4);
    const item = product(random);
    total += quantity * Number(item.price);
    products.push({ quantity: String(quantity), product: item });
  }
  return { products, total };
}

function datePart(random: Random, year: [number, number]): Record<string, string> {
  return {
    year: String(random.int(year[0], year[1])),
    month: String(random.int(1, 12)),
    day: String(random.int(1, 28)),
  };
}

function payload(random: Random, type: SdeType): Record<string, unknown> {
  switch (type) {
    case "cartStatus": {
      const cart = cartProducts(random);
      return {
        total: cart.total.toFixed(2),
        currency: random.pick(CURRENCIES),
        numItems: String(cart.products.length),
        products: cart.products,
      };
    }
    case "customerInfo":
      return {
        customerInfo: {
          customerStatus: random.pick(["active", "cancelled", "suspended", "null"]),
          customerType: random.pick(["vip", "regular", "new", ""]),
          balance: random.pick(["-400.99", "0", "1250.10", "12,5"]),
          // The documented example capitalises this key; both spellings occur.
          [random.chance(0.3) ? "Currency" : "currency"]: random.pick(CURRENCIES),
          customerId: `C${random.int(10000, 99999)}`,
          socialId: random.chance(0.5) ? random.int(1000, 9999) : null,
          imei: random.chance(0.2) ? String(random.int(100000000, 999999999)) : null,
          userName: maybeAwkward(random, `user${random.int(1, 999)}`, { sentinels: true }),
          accountName: random.chance(0.5) ? "Main account" : null,
          role: random.pick(["owner", "member", null]),
          companySize: random.chance(0.3) ? String(random.int(1, 5000)) : null,
          companyBranch: random.pick(["north", "south", "מרכז", null]),
          storeNumber: `store${random.int(1, 300)}`,
          storeZipCode: random.chance(0.5) ? String(random.int(10000, 99999)) : null,
          lastPaymentDate: datePart(random, [2019, 2024]),
          registrationDate: datePart(random, [2010, 2019]),
        },
      };
    case "personalInfo":
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
    case "marketingCampaignInfo":
      return {
        marketingCampaignInfo: {
          originatingChannel: String(random.int(0, 6)),
          affiliate: random.pick(["search-partner", "newsletter", "", "null"]),
          campaignId: maybeAwkward(random, "spring coupon campaign"),
        },
      };
    case "lead":
      return {
        lead: {
          topic: maybeAwkward(random, "home internet upgrade"),
          value: String(random.int(1, 500)) + ".00",
          leadId: `lead-${random.int(1000, 9999)}`,
          currency: random.pick(CURRENCIES),
        },
      };
    case "purchase": {
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
    }
    case "viewedProduct":
      return {
        currency: random.pick(CURRENCIES),
        products: Array.from({ length: random.int(1, 3) }, () => ({
          product: {
            ...product(random),
            statusInStock: random.pick(["In stock", "Out of stock", "NA"]),
            quantityInStock: random.chance(0.5) ? random.int(0, 50) : String(random.int(0, 50)),
          },
        })),
      };
    case "serviceActivity":
      return {
        serviceActivity: {
          topic: maybeAwkward(random, "replace router"),
          status: String(random.int(0, 13)),
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
          level: random.chance(0.5) ? String(random.int(0, 10)) : null,
          resolved: random.pick(["true", "false", null]),
        },
      };
    case "searchContent":
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
}

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
 * import { createRandom } from "./random.ts";
 * import { sdeEvent } from "./dataset_sdes.ts";
 * import assert from "node:assert/strict";
 * const event = sdeEvent(createRandom(3), "lead", 1_700_000_000_000);
 * assert.equal(typeof (event.lead as { serverTimeStamp: unknown }).serverTimeStamp, "string");
 * ```
 */
export function sdeEvent(random: Random, type: SdeType, aroundMs: number): Record<string, unknown> {
  const serverMs = aroundMs - random.int(0, 600_000);
  const body = payload(random, type);
  const times: Record<string, string> = { serverTimeStamp: String(serverMs) };
  // Older revisions have no originalTimeStamp.
  if (random.chance(0.85)) times.originalTimeStamp = String(serverMs - random.int(0, 5_000));
  if (type === "purchase") {
    const cart = body.cart as Record<string, unknown>;
    if (cart.total !== null) {
      cart.serverTimeStamp = String(serverMs);
      cart.originalTimeStamp = String(serverMs - random.int(0, 5_000));
    } else {
      cart.originalTimeStamp = null;
    }
  }
  const event: Record<string, unknown> = { [type]: { ...times, ...body } };
  if (random.chance(0.75)) {
    event.isAuthenticated = random.chance(0.4);
    event.serverTimeStamp = String(serverMs);
    event.sdeType = SDE_TYPE_NAMES[type];
  }
  return event;
}
