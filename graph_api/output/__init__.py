"""How the command line renders answers for people and files."""
