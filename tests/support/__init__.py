"""Builders shared by the tests: repositories, the GitHub stand-in, site builds."""
