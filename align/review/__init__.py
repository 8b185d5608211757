"""The alignment review: state and journal (no UI), exports, and the Textual app."""
