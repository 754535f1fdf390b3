package io.finhub.bench;

import java.util.List;

/**
 * The dashboard the benchmark measures: twenty-one questions over the five areas (and revenue), as a finance team's
 * dashboard asks them (fiscal 2025, by channel, campaign, department, quarter or month). The README
 * lists them; change them here and there together.
 */
public final class BenchQueries {
    private BenchQueries() {}

    public static final List<BenchQuery> DASHBOARD = List.of(
            new BenchQuery("attribution-linear-by-channel", "attribution", """
                    { attribution(models: [LINEAR], groupBy: CHANNEL, period: {fiscalYear: 2025}) {
                        attributableRevenue unattributedRevenue
                        rows { key label linear: model(model: LINEAR) { attributedRevenue share conversionShare } } } }"""),
            new BenchQuery("attribution-seven-models", "attribution", """
                    { attribution(models: [FIRST_TOUCH, LAST_TOUCH, LINEAR, TIME_DECAY, POSITION_BASED, MARKOV, SHAPLEY], groupBy: CHANNEL) {
                        models { model attributedRevenue reconciled removalEffects { channel share } } } }"""),
            new BenchQuery("attributed-revenue-by-model-quarter", "attribution", """
                    { metrics(measures: ["attributedRevenue", "attributedConversions"], dimensions: ["model", "channel"], timeGrain: QUARTER,
                              period: {fiscalYear: 2025}) {
                        totalCount rows { periodLabel model: dimension(name: "model") channel: dimension(name: "channel")
                                          revenue: value(measure: "attributedRevenue") conversions: value(measure: "attributedConversions") } } }"""),
            new BenchQuery("cs-portfolio", "attribution", """
                    { portfolio(period: "FY2025") {
                        expansionRevenue expansionAttributed churnProtectionValue csCost roi
                        programmes { programId programName outcomeValue cost roi } } }"""),
            new BenchQuery("realization-by-segment-quarter", "realization", """
                    { realizationSummary(groupBy: SEGMENT, period: {fiscalYear: 2025}) {
                        totalCount rows { quarterLabel key contracts measuredContracts committedValue realizationPct milestonesMet milestonesDue
                                          atRiskContracts utilizationPct unusedLicenseValue valueToDate paidToDate roiPct } } }"""),
            new BenchQuery("contracts-at-risk", "realization", """
                    { realizationSummary(groupBy: CONTRACT, period: {fiscalYear: 2025, fiscalQuarter: 4}, atRiskOnly: true, limit: 100) {
                        totalCount rows { key label realizationPct atRiskContracts utilizationPct valueToDate paidToDate roiPct } } }"""),
            new BenchQuery("portfolio-forecast", "forecast", """
                    { portfolioForecast(scenarios: [{name: "health-10", healthShift: -10}]) {
                        total { renewals arrUpForRenewal modelRenewalArr adjustedRenewalArr modelTotal adjustedTotal
                                modelTotalRange { p10 p50 p90 method } }
                        bySegmentAndQuarter { segment quarterLabel figures { modelTotal adjustedTotal modelTotalRange { p10 p50 p90 } } }
                        scenarios { name modelTotal modelTotalChange } } }"""),
            new BenchQuery("portfolio-forecast-back-dated", "forecast", """
                    { portfolioForecast(asOf: "2025-06-30", scenarios: [{name: "health-10", healthShift: -10}]) {
                        total { renewals arrUpForRenewal modelRenewalArr adjustedRenewalArr modelTotal adjustedTotal
                                modelTotalRange { p10 p50 p90 method } }
                        bySegmentAndQuarter { segment quarterLabel figures { modelTotal adjustedTotal modelTotalRange { p10 p50 p90 } } }
                        scenarios { name modelTotal modelTotalChange } } }"""),
            new BenchQuery("portfolio-forecast-new-day", "forecast", """
                    { portfolioForecast(asOf: "{day}", scenarios: [{name: "health-10", healthShift: -10}]) {
                        total { renewals arrUpForRenewal modelRenewalArr adjustedRenewalArr modelTotal adjustedTotal
                                modelTotalRange { p10 p50 p90 method } }
                        bySegmentAndQuarter { segment quarterLabel figures { modelTotal adjustedTotal modelTotalRange { p10 p50 p90 } } }
                        scenarios { name modelTotal modelTotalChange } } }""", true),
            new BenchQuery("budget-variance-forecast", "forecast", """
                    { budgetVarianceForecast(fiscalYear: 2025) {
                        periodLabel asOf departments { departmentName budget actualToDate projectedActual projectedVariance projectedVariancePct favorable } } }"""),
            new BenchQuery("recognized-revenue", "revenue", """
                    { recognizedRevenue(from: "2025-01-01", to: "2025-12-31") { month invoiced recognized recognizedToDate deferredBalance } }"""),
            new BenchQuery("mrr-bridge", "revenue", """
                    { mrrMovements(from: "2025-01-01", to: "2025-12-31") {
                        month opening newMrr expansion reactivation contraction churn fxImpact closing arr customers netMrrChurnPct } }"""),
            new BenchQuery("retention-by-segment", "revenue", """
                    { retention(startMonth: "2024-12-01", endMonth: "2025-12-01", by: SEGMENT) { group customers nrrPct grrPct } }"""),
            new BenchQuery("budget-projection-by-quarter", "budget", """
                    { budgetVariance(by: [DEPARTMENT, QUARTER], fiscalYear: 2025, asOf: "2025-11-15") {
                        rows { periodLabel departmentName budget actual projectedActual projectedVariance } } }"""),
            new BenchQuery("reforecast-variance-by-department", "budget", """
                    { metrics(measures: ["budgetReforecast", "actual", "reforecastVariance", "reforecastVariancePct"], dimensions: ["department"],
                              timeGrain: QUARTER, period: {fiscalYear: 2025}) {
                        rows { periodLabel department: dimension(name: "department")
                               reforecast: value(measure: "budgetReforecast") actual: value(measure: "actual")
                               variance: value(measure: "reforecastVariance") variancePct: value(measure: "reforecastVariancePct") } } }"""),
            new BenchQuery("budget-variance-by-department-month", "budget", """
                    { budgetVariance(by: [DEPARTMENT, MONTH], fiscalYear: 2025) {
                        currency rows { periodLabel departmentName budget actual variance variancePct favorable utilizationPct } } }"""),
            new BenchQuery("budget-vs-actual-by-cost-type", "budget", """
                    { metrics(measures: ["budget", "actual", "budgetVariance", "budgetVariancePct", "budgetUtilizationPct"],
                              dimensions: ["department", "costType"], period: {fiscalYear: 2025}) {
                        rows { department: dimension(name: "department") costType: dimension(name: "costType")
                               budget: value(measure: "budget") actual: value(measure: "actual")
                               variance: value(measure: "budgetVariance") variancePct: value(measure: "budgetVariancePct")
                               utilizationPct: value(measure: "budgetUtilizationPct") } } }"""),
            new BenchQuery("roi-by-channel", "roi", """
                    { roi(by: [CHANNEL], fiscalYear: 2025) {
                        rows { channel channelName spend attributedRevenue roiPct roas cac ltv ltvToCac paybackMonths }
                        unitEconomics { arpa grossMarginPct monthlyChurnPct ltv } } }"""),
            new BenchQuery("roi-by-campaign-quarter-linear", "roi", """
                    { roi(by: [CAMPAIGN, QUARTER], fiscalYear: 2025, model: LINEAR, limit: 200) {
                        totalCount rows { periodLabel campaign campaignName spend attributedRevenue roiPct roas } } }"""),
            new BenchQuery("spend-revenue-roas-by-channel-quarter", "roi", """
                    { metrics(measures: ["spend", "revenue", "roiPct", "roas"], dimensions: ["channel"], timeGrain: QUARTER,
                              period: {fiscalYear: 2025}, orderBy: [{field: "spend", direction: DESC}]) {
                        currency totalCount rows { periodLabel channel: dimension(name: "channel") spend: value(measure: "spend")
                                                   revenue: value(measure: "revenue") roiPct: value(measure: "roiPct") roas: value(measure: "roas") } } }"""),
            new BenchQuery("cac-and-cost-per-lead-by-month", "roi", """
                    { metrics(measures: ["cac", "costPerLead", "newLeads"], dimensions: ["channel"], timeGrain: MONTH, period: {fiscalYear: 2025}) {
                        rows { periodLabel channel: dimension(name: "channel") cac: value(measure: "cac")
                               costPerLead: value(measure: "costPerLead") leads: value(measure: "newLeads") } } }"""));
}
