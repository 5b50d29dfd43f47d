"""What site sections share: facets, facts, charts, maps, form fields, recognition."""
