"""The drawing of lots in GraphQL (secretariat): draws are recorded with everything needed
to recompute them (`verifyDraw`), and never changed afterwards."""
