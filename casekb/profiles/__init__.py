"""Profiles of people and timelines of cases: views that read better than tables.

`build_profile(kb, name)` and `build_timeline(kb, case)` ask the query language (so names
are matched and values decoded as queries do) and give plain data (`to_json()`), which
`text.write_profile_text` / `write_timeline_text` write for people.
"""

from casekb.profiles.data import Profile, Timeline
from casekb.profiles.profile import build_profile
from casekb.profiles.timeline import build_timeline

__all__ = ["Profile", "Timeline", "build_profile", "build_timeline"]
