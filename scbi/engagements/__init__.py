"""Short engagements, the brokered model (docs/engagements.md): a partner institution's
request, a practitioner brokered for a few weeks, objectives, check-ins and a close-out
with the outcome against each objective."""
