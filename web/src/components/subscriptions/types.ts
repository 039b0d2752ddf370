import type { components } from "../../api/schema";

/** The API's shapes these screens use (src/api/schema.d.ts: the contract). */
export type Schemas = components["schemas"];
export type TierOut = Schemas["TierOut"];
export type TiersOut = Schemas["TiersOut"];
export type QuoteOut = Schemas["QuoteOut"];
export type MembershipOut = Schemas["MembershipOut"];
export type CheckoutOut = Schemas["CheckoutOut"];
export type CheckoutIn = Schemas["CheckoutIn"];
export type InvoiceOut = Schemas["InvoiceOut"];
export type MembershipStatus = Schemas["MembershipStatus"];
export type InvoiceStatus = Schemas["InvoiceStatus"];
export type PaymentMethod = Schemas["PaymentMethod"];
export type TierId = CheckoutIn["tier"];
export type Family = Schemas["Family"];
