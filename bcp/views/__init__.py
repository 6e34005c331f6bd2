"""The browser pages of bcp: the decision inbox, the roster, the BCP plan and BCP actions."""
