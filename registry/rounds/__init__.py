"""The election-period round: the KKR's composition, the sharing-out of seats, and every seat re-filled."""
