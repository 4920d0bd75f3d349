"""Users, the roles they hold for partners, and API tokens for machine clients."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from onesource.core.roles import ALL_PARTNER_ROLES, Role


class User(AbstractUser):
    """A person who signs in. What they may see comes from their role assignments only."""

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


# A fixed order, the one migration 0001 holds: iterating the frozenset gives a different order in each
# process, and makemigrations would then see a changed constraint.
_ALL_PARTNER_ROLE_VALUES = sorted((r.value for r in ALL_PARTNER_ROLES), reverse=True)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    partner = models.ForeignKey(
        "core.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text="Blank for roles that cover every partner.",
    )

    class Meta:
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "partner"], name="unique_role_assignment"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(partner__isnull=True), name="unique_all_partner_role"
            ),
            models.CheckConstraint(
                condition=(Q(role__in=_ALL_PARTNER_ROLE_VALUES) & Q(partner__isnull=True))
                | (~Q(role__in=_ALL_PARTNER_ROLE_VALUES) & Q(partner__isnull=False)),
                name="role_partner_matches_role_kind",
            ),
        ]

    def __str__(self) -> str:
        where = self.partner.code if self.partner_id and self.partner else "all partners"
        return f"{self.user.username}: {self.get_role_display()} ({where})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the token is shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, help_text="The first characters, to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"

    @staticmethod
    def generate_raw() -> str:
        return "os_" + secrets.token_urlsafe(32)
