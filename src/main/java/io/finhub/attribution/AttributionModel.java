package io.finhub.attribution;

/**
 * The multi-touch attribution models. The rules-based ones weigh each touch of a conversion's path
 * by its position or age; the data-driven ones learn channel weights from every journey, converting
 * or not. Under every model each conversion's value is split over the touches of its own path, so
 * no channel is credited for a conversion it never touched, and the split reconciles to the cent.
 */
public enum AttributionModel {
    /** All credit to the first touch of the path. */
    FIRST_TOUCH,
    /** All credit to the last touch before the conversion. */
    LAST_TOUCH,
    /** Equal credit to every touch. */
    LINEAR,
    /** Credit halves with every half-life between the touch and the conversion: weight 2^(−age ÷ half-life). */
    TIME_DECAY,
    /** 40 % first, 40 % last, 20 % split over the middle touches; one touch 100 %, two touches 50/50. */
    POSITION_BASED,
    /**
     * First-order Markov chain over channels with START, CONVERSION and NULL states, learned from
     * converting and non-converting journeys. A channel's removal effect is the share of the chain's
     * conversion probability lost when the channel is removed, computed exactly from the absorbing
     * chain. Each conversion is split over the channels of its path in proportion to their removal
     * effects (and within a channel equally over its touches).
     */
    MARKOV,
    /**
     * Shapley value of the game whose coalition value is the conversions (for revenue: the revenue)
     * of the journeys whose channel set is contained in the coalition. That game is the sum, over
     * journeys, of unanimity games on each journey's channel set, so its Shapley value gives each
     * journey's value in equal parts to the distinct channels of the journey (Zhao, Mahboobi and
     * Bagheri 2018, "Shapley value methods for attribution modeling in online advertising",
     * arXiv:1804.05327). That closed form is exact for any number of channels: no 2^n coalition
     * enumeration is needed, so there is no channel limit and no sampling.
     */
    SHAPLEY;

    public boolean dataDriven() {
        return this == MARKOV || this == SHAPLEY;
    }
}
