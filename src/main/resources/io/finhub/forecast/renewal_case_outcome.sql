-- Whether a case's renewal was decided by the as-of date and its outcome, and the renewal value and its currency: the
-- latest renewal opportunity r's, else twelve months of the contract c's subscriptions, else its committed value.
coalesce(r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on <= :as_of, false) AS decided,
           CASE WHEN r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on <= :as_of THEN r.stage = 'CLOSED_WON' END AS renewed,
           coalesce(r.amount, c.arr, c.committed_value) AS amount,
           coalesce(r.currency_code, c.arr_currency_code, c.currency_code) AS currency_code
