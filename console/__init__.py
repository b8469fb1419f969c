"""bodam web server: the customer chat page (/) and the agent console (/console, /api)."""
