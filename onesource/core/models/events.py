"""Business events written by actions, beside the generic field-level change log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from onesource.core.scoping import ScopedQuerySet


class Event(models.Model):
    """Something that happened to an object, in the words of the business: 'run approved', 'record read'."""

    name = models.CharField(max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    object_pk = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    partner = models.ForeignKey("core.Partner", null=True, blank=True, on_delete=models.SET_NULL)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    request_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.object_repr}"

    @classmethod
    def scope_q(cls, partner_ids) -> Q:
        return Q(partner_id__in=partner_ids)
