from django.contrib import admin

from roadmap.models import Catalogue, Measure, Roadmap, RoadmapItem


@admin.register(Catalogue)
class CatalogueAdmin(admin.ModelAdmin):
    list_display = ["number", "title_de", "status", "published_at"]
    readonly_fields = ["status", "published_at", "created_at"]

    def has_change_permission(self, request, obj=None):
        # Like the questionnaire, a published catalogue is history: roadmaps point to its measures.
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status == Catalogue.Status.DRAFT
        )


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "title_de", "field", "target_level", "carries", "effort", "duration_quarters"]
    list_filter = ["catalogue", "field", "target_level", "carries", "effort"]
    search_fields = ["code", "title_de", "title_en"]

    def _editable(self, obj) -> bool:
        return obj is None or obj.catalogue.status == Catalogue.Status.DRAFT

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)

    def has_add_permission(self, request):
        drafts = Catalogue.objects.filter(status=Catalogue.Status.DRAFT).exists()
        return super().has_add_permission(request) and drafts

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "catalogue":  # new measures only go into a draft catalogue
            kwargs["queryset"] = Catalogue.objects.filter(status=Catalogue.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ItemInline(admin.TabularInline):
    model = RoadmapItem
    extra = 0
    fields = ["measure", "title", "year", "quarter", "status", "owner", "pinned"]
    raw_id_fields = ["measure"]


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["assessment", "start_year", "start_quarter", "horizon", "revision", "updated_at"]
    inlines = [ItemInline]
    raw_id_fields = ["assessment"]
