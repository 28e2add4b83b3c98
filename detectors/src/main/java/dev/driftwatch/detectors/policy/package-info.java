/**
 * Alert policy: how drift statistics become alerts.
 *
 * <p>The rules carry the design's decision "effect size and significance together":
 * <ol>
 *   <li>{@link dev.driftwatch.detectors.policy.Threshold} classifies an effect size (PSI, JS,
 *       Wasserstein, KL) into a {@link dev.driftwatch.detectors.policy.Severity}.</li>
 *   <li>{@link dev.driftwatch.detectors.policy.BenjaminiHochberg} corrects the p-values of the
 *       significance tests (KS, chi-square) across the features evaluated together.</li>
 *   <li>{@link dev.driftwatch.detectors.policy.AlertPolicy} decides, per feature, that it drifted
 *       when a deciding effect size crosses its warning threshold <em>and</em> its corrected
 *       p-value passes the significance level (or it has no significance test), and decides for
 *       the dataset from the share of drifted features.</li>
 *   <li>{@link dev.driftwatch.detectors.policy.Persistence} turns each window's verdict into alert
 *       state changes (FIRING once, RESOLVED once) with an m-of-n rule.</li>
 * </ol>
 *
 * <p>Everything here is plain Java: values are immutable and algorithm classes are stateless, so
 * the streaming layer can keep {@link dev.driftwatch.detectors.policy.PersistenceState} in a state
 * store as bytes.
 */
package dev.driftwatch.detectors.policy;
