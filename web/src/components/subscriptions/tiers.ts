import type { Money } from "../../i18n/format";
import type { Family, TierId, TierOut } from "./types";

const TIER_IDS: readonly TierId[] = ["SILVER", "GOLD", "PLATINUM", "CORPORATE_C", "CORPORATE_B", "CORPORATE_A"];

/** The API names tiers by id ("SILVER"); a request body takes only the ids it knows. */
export function isTierId(value: string): value is TierId {
  return (TIER_IDS as readonly string[]).includes(value);
}

/** "CPS Silver" → "Silver", "CPS Corporate C" → "Corporate C" (the review's "Canon Professional Services: Silver"). */
export function shortTierName(name: string): string {
  return name.replace(/^CPS\s+/i, "");
}

/** The points the company still needs for a tier it cannot choose yet (0 when it can). */
export function pointsNeeded(tier: Pick<TierOut, "min_points">, points: number): number {
  return Math.max(0, tier.min_points - points);
}

/**
 * The family the tier cards show: from 2,500 points (`corporate_available`) the customer
 * switches between the two families (SPEC §3); below that, only Silver/Gold/Platinum.
 */
export function familyShown(corporateAvailable: boolean, corporateOn: boolean): Family {
  return corporateAvailable && corporateOn ? "corporate" : "individual";
}

/** The tiers a member may upgrade to today: open to the points and with a higher fee (SPEC §5). */
export function upgradeOptions(tiers: readonly TierOut[], currentTier: string): TierOut[] {
  const current = tiers.find((tier) => tier.tier === currentTier);
  if (current === undefined) return [];
  const currentFee = Number(current.annual_fee.amount);
  return tiers.filter((tier) => tier.eligible && Number(tier.annual_fee.amount) > currentFee);
}

/** The tiers the renewal may take: any tier the points open, of either family (SPEC §5). */
export function renewalOptions(tiers: readonly TierOut[]): TierOut[] {
  return tiers.filter((tier) => tier.eligible);
}

/** A tier's name by its id, from the chart; the id itself when the chart does not have it. */
export function tierName(tiers: readonly TierOut[], id: string): string {
  return tiers.find((tier) => tier.tier === id)?.name ?? id;
}

/** The difference of two annual fees (same currency), computed in cents: the yearly amount an upgrade prorates. */
export function feeDifference(higher: Money, lower: Money): Money {
  const cents = (amount: string) => Math.round(Number(amount) * 100);
  const difference = cents(higher.amount) - cents(lower.amount);
  const sign = difference < 0 ? "-" : "";
  const absolute = Math.abs(difference);
  return {
    amount: `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, "0")}`,
    currency: higher.currency,
  };
}
