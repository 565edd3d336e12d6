"""The migration model: every data flow of a deployment resolved once (flows), the actions
that migrate it in operator order (actions, script), and the proof that after them every flow
lands (target, proof). Every view of `tickmig report` and the flow findings of `tickmig check`
read this one model."""
