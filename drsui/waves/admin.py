from django.contrib import admin

from .models import Wave


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "project", "created_at"]
    fields = ["name", "owner", "project", "template", "paths", "created_at", "updated_at"]
    readonly_fields = fields
