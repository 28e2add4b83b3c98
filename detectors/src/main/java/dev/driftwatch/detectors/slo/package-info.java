/**
 * Service levels: a bounded latency summary with a relative-error bound ({@link
 * dev.driftwatch.detectors.slo.LatencySummary}), the per-window good/total history of an objective
 * ({@link dev.driftwatch.detectors.slo.BudgetHistory}) and multi-window, multi-burn-rate alerting on
 * it ({@link dev.driftwatch.detectors.slo.BurnRates}, {@link dev.driftwatch.detectors.slo.BurnRateRule}).
 */
package dev.driftwatch.detectors.slo;
