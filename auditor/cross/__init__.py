"""The cross-report checks: what a batch shows that no single report does. Copied text within
the batch (similarity, XR101) and last year's edition (previous, XR201, XR202), on each report's
comparable text (streams), which the batch's workers hand back with the cards (crosscheck);
their rules are data like any pack's (rules/cross.yaml, crossrules)."""
