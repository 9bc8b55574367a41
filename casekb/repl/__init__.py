"""The interactive shell: `casekb` with no arguments, or `casekb repl`.

A pipeline of small modules:
- statements.py: input lines -> whole statements (multi-line queries, dot commands);
- completion.py: what can come next at the cursor, asked of the query parser itself;
- terminal.py: readline (line editing, persistent history, the TAB key) and terminal width;
- cancel.py: running a statement so that Ctrl-C stops it and returns to the prompt;
- display.py: tables sized for the terminal (the widest columns wrapped at word
  boundaries, else without the box, else rows as records);
- commands.py: the dot commands (.help, .format, .sql, .read, ...);
- session.py: the session itself: its settings, the loop, and answering each statement.

Entry point: `casekb.repl.session.run_session(...)`. Nothing here is imported by other
commands, so the REPL's modules never slow down `casekb query`.
"""
