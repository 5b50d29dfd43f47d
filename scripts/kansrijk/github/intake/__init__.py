"""An issue form becomes a pull request: form body -> answers -> record -> branch and PR."""
