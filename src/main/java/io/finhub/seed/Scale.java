package io.finhub.seed;

/**
 * Sizes of the generated demo company. The number of journeys drives everything: about 4.5
 * touches per journey, about 3.3 % of journeys convert into customers, and subscriptions,
 * invoices, customer-success and spend facts follow the customers. The installed base is the
 * customers the company already had when the data starts.
 */
public enum Scale {
    /** About 300 thousand touchpoints and 3 thousand customers; seeds in seconds. */
    DEMO(66_700, 1_100),
    /** About 10 million touchpoints and 110 thousand customers. */
    M(2_222_000, 37_000),
    /** About 100 million touchpoints and 1.1 million customers. */
    L(22_220_000, 370_000);

    private final long journeys;
    private final long installedBaseCustomers;

    Scale(long journeys, long installedBaseCustomers) {
        this.journeys = journeys;
        this.installedBaseCustomers = installedBaseCustomers;
    }

    /** Marketing journeys (leads) started 2023..2025, converting or not. */
    public long journeys() {
        return journeys;
    }

    /** Customers acquired 2020..2022, before the data starts, and still under contract on 2023-01-01. */
    public long installedBaseCustomers() {
        return installedBaseCustomers;
    }
}
