"""Publishing what forcewatch knows: alerts (Atom feed, webhooks), dated releases with a changelog,
and reconciliation with the reference databases (Washington Post, Mapping Police Violence,
Fatal Encounters) with a capture-recapture coverage estimate."""
