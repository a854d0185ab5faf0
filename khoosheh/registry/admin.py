from django.contrib import admin

from .models import Activity, County, ImportBatch, IndustrialPark, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en", "province")
    list_filter = ("province",)
    search_fields = ("name_fa", "name_en", "code")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "title_fa", "title_en")
    list_filter = ("level",)
    search_fields = ("code", "title_fa", "title_en")


@admin.register(IndustrialPark)
class IndustrialParkAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "county")
    list_filter = ("kind", "county__province")
    search_fields = ("name",)
    autocomplete_fields = ("county",)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("started_at", "file_name", "imported_by", "rows_read", "created", "updated", "unchanged")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False
