"""The model: what a record is (kinds, strict loading, schemas, code lists, the register, the repository).

Imports nothing from the other rooms of the package."""
