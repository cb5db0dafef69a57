package dev.conveyor.bleu;

import java.util.Map;

/**
 * The outcome of a paired significance test.
 *
 * @param signature sacreBLEU's signature, including the test's {@code bs:}/{@code ar:} and seed
 * @param baseline the baseline's score (and its interval where the test estimates one)
 * @param systems each compared system by name, in the order given
 */
public record PairedResult(
    Signature signature, SystemResult baseline, Map<String, SystemResult> systems) {}
