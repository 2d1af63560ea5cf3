"""The data the access sweep runs on, built through the services: for every kind of object
with an id in a URL, objects inside and outside each role's scope.

The people: staff (admin, coordinator); trainer T teaching "course in", T2 teaching "course
out"; trainee P (company A) enrolled in course in; classmate Q (company B) enrolled in both
courses; referent R of company A. P, T and R see course in through their own enrolment, their
teaching and their employee; course out is nobody's but staff's. Each object is described
by the facts the table's scopes are about (whose it is, which course, which company).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MISSING = 999999


@dataclass(frozen=True)
class Obj:
    """URL values and the facts about the object they name."""

    values: dict
    person: int | None = None  # the user the object belongs to
    org: int | None = None  # the company concerned (the person's, or the organisation)
    course: int | None = None  # the course the object belongs to
    published: bool = True  # assessments and frameworks: published ones only, for most
    shared: bool = False  # shared by everyone who builds assessments (rubric templates)
    invalid: bool = False  # missing ids, or ids that do not belong together: nobody reaches
    assigned: frozenset[int] = frozenset()  # dossiers: its accompagnatore and two experts


@dataclass
class Person:
    """What the scopes need to know about a logged-in role user."""

    id: int
    email: str
    org: int | None
    teaches: set[int] = field(default_factory=set)
    enrolled: set[int] = field(default_factory=set)


class World:
    """Objects by kind and variant name, the role users, and the relations between them."""

    def __init__(self):
        self.people: dict[str, Person] = {}
        self.users: dict[str, object] = {}
        self.kinds: dict[str, list[tuple[str, Obj]]] = {}
        self.fresh: dict[str, list[tuple[str, Callable]]] = {}
        self.courses_of_org: dict[int, set[int]] = {}
        self.module_of_course: dict[int, int] = {}
        self.template_id = 0
        self.bodies: dict[str, dict] = {}

    def variants(self, kind: str, *, fresh: bool, role: str) -> list[tuple[str, Obj]]:
        """The objects to call a route with; fresh ones are built for this call only."""
        if fresh:
            built = [(name, build(self.users.get(role))) for name, build in self.fresh[kind]]
            return built + [(n, o) for n, o in self.kinds.get(kind, []) if o.invalid]
        return self.kinds[kind]

    def relations(self, role: str, obj: Obj) -> set[str]:
        """The scopes under which the role user is related to the object."""
        if obj.invalid:
            return set()
        who = self.people[role]
        rel = {"any"}
        if obj.shared:
            rel.add("shared")
        if obj.published:
            rel.add("published")
        if who.id in obj.assigned:
            rel.add("assigned")
        if obj.person is not None:
            if obj.person == who.id:
                rel.add("own")
        elif obj.course is not None and obj.course in who.enrolled and obj.published:
            rel.add("own")
        if obj.course is not None and obj.course in who.teaches:
            rel.add("course")
        if who.org is not None:
            if obj.person is not None or obj.org is not None:
                if obj.org == who.org:
                    rel.add("org")
            elif obj.course is not None and obj.course in self.courses_of_org.get(who.org, ()):
                rel.add("org")
        return rel

    def body(self, name: str, obj: Obj) -> dict:
        """Minimal bodies for the routes that need one to reach their service at all."""
        if name == "move_module":
            course_id = obj.values.get("course_id")
            return {"action": "up", "module_id": str(self.module_of_course.get(course_id, 0))}
        if name == "attach_template":
            return {"template_id": str(self.template_id)}
        return dict(self.bodies[name])


def missing(*names: str) -> tuple[str, Obj]:
    return "missing", Obj({n: MISSING for n in names}, invalid=True)
