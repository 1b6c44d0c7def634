from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from standortbestimmung import versions
from standortbestimmung.models import (
    AnswerOption,
    Assessment,
    Field,
    FieldLevel,
    Question,
    QuestionnaireVersion,
)

LOCKED = _(
    "Version %(number)s is published and can no longer be changed, so that earlier results stay the same. "
    "Use “Copy as new draft” to start a new version."
)


class DraftOnlyMixin:
    """Content of a published or retired version is shown read-only; changes are refused with a reason."""

    def version_of(self, obj) -> QuestionnaireVersion | None:
        raise NotImplementedError

    def _locked(self, obj) -> bool:
        version = self.version_of(obj) if obj is not None else None
        return version is not None and not version.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New content can only be attached to a draft.
        if db_field.name == "version":
            kwargs["queryset"] = QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.DRAFT)
        elif db_field.name == "field":
            kwargs["queryset"] = Field.objects.filter(version__status=QuestionnaireVersion.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self._locked(obj):
            version = self.version_of(obj)
            if request.method == "POST":
                messages.error(request, LOCKED % {"number": version.number})
                return redirect(request.path)
            messages.info(request, LOCKED % {"number": version.number})
        return super().change_view(request, object_id, form_url, extra_context)


class OptionInline(admin.TabularInline):
    model = AnswerOption
    extra = 0
    max_num = 4
    fields = ["level", "text_de", "text_en"]


class FieldLevelInline(admin.TabularInline):
    model = FieldLevel
    extra = 0
    max_num = 4
    fields = ["level", "text_de", "text_en"]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "title_de", "status", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "created_at"]
    actions = ["copy_as_draft", "publish", "retire"]

    def version_of(self, obj):
        return obj

    @admin.action(description=_("Copy as new draft"))
    def copy_as_draft(self, request, queryset):
        for version in queryset.order_by("number"):
            draft = versions.version_copy_as_draft(version=version)
            self.message_user(
                request,
                _("Version %(old)s was copied as draft %(new)s.")
                % {"old": version.number, "new": draft.number},
            )

    @admin.action(description=_("Publish"))
    def publish(self, request, queryset):
        published = 0
        for version in queryset.order_by("number"):
            try:
                versions.version_publish(version=version)
                published += 1
            except ValidationError as exc:
                for problem in exc.messages:
                    self.message_user(request, f"v{version.number}: {problem}", messages.ERROR)
        if published:
            self.message_user(
                request,
                ngettext("%(n)s version published.", "%(n)s versions published.", published)
                % {"n": published},
            )

    @admin.action(description=_("Retire"))
    def retire(self, request, queryset):
        for version in queryset:
            try:
                versions.version_retire(version=version)
            except ValidationError as exc:
                self.message_user(request, f"v{version.number}: {exc.messages[0]}", messages.ERROR)


@admin.register(Field)
class FieldAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name_de", "version"]
    list_filter = ["version"]
    inlines = [FieldLevelInline]

    def version_of(self, obj):
        return obj.version


@admin.register(Question)
class QuestionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "text_de", "field"]
    list_filter = ["field__version", "field__code"]
    search_fields = ["code", "text_de", "text_en"]
    list_select_related = ["field__version"]
    inlines = [OptionInline]

    def version_of(self, obj):
        return obj.field.version


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "owner", "version", "created_at", "updated_at"]
    list_filter = ["kind", "status", "owner"]
    search_fields = ["organisation"]
    readonly_fields = ["key", "version", "created_at", "updated_at", "finished_at"]
    fields = ["organisation", "owner", "kind", "status", "language", *readonly_fields]
