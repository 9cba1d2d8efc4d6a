"""The platform's shell around the capabilities: the home page, the navigation, the page of a
capability and the language choice, and loading the demo data of every app."""
