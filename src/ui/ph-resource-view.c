/* ph-resource-view.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "ph-age-cell.h"
#include "ph-application.h"
#include "ph-field-cell.h"
#include "ph-kube-error.h"
#include "ph-list-cache.h"
#include "ph-object.h"
#include "ph-query.h"
#include "ph-resource-view.h"
#include "ph-status-cell.h"
#include "ph-sort-model.h"

#define REFILTER_INTERVAL_MS 100
#include "ph-watch-hub.h"
#include "ph-cluster.h"

struct _PhResourceView
{
  GtkWidget            parent_instance;

  PhWatchHub          *hub;
  PhKind              *kind;
  gboolean             multi_cluster;
  GtkColumnViewColumn *cluster_column;   /* owned by the column view */
  GtkColumnViewColumn *name_column;
  /* PhListCache → its hub, to release each cache where it came from
   * even after the hub was replaced. */
  GHashTable          *cache_hubs;
  char               **search_terms;
  GtkFilter           *filter;
  char                *state_text;
  GPtrArray           *problems;
  guint                state_idle_id;
  guint                countdown_id;
  gboolean             marked_first_rows;
  /* After a reload, the uid of the object to select again once it is
   * listed anew. */
  char                *reselect_uid;
  /* The lists changed (other clusters, namespaces or kind): the first
   * row stays in view while they load, whatever order rows arrive in. */
  gboolean             to_top;
  GdkFrameClock       *to_top_clock;

  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  GtkRevealer         *problems_revealer;
  GtkListBox          *problems_list;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *empty_page;
  GtkColumnView       *column_view;
  GtkSingleSelection  *selection;
  GtkScrolledWindow   *scroller;
  guint                refilter_id;
  PhSortModel         *sort_model;
  GtkFilterListModel  *filter_model;
  GtkFlattenListModel *flatten_model;
  GListStore          *caches;
  GtkLabel            *count_label;
  GtkImage            *state_icon;
  GtkLabel            *state_label;
};

G_DEFINE_FINAL_TYPE (PhResourceView, ph_resource_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_OBJECT,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ph_resource_view_queue_state_update (PhResourceView *self);

/* Sorting.  GTK 4.8's expression-based sorters evaluate GValues for every
 * comparison; these read PhObject's fields directly. */

static int
compare_strings_natural (const char *a,
                         const char *b)
{
  char *end_a, *end_b;
  long long na, nb;

  a = a != NULL ? a : "";
  b = b != NULL ? b : "";

  /* Counts like "10" and "9", and "3/5" ready fractions, sort by number. */
  na = strtoll (a, &end_a, 10);
  nb = strtoll (b, &end_b, 10);
  if (end_a != a && end_b != b && na != nb)
    return na < nb ? -1 : 1;

  return strcmp (a, b);
}

static gboolean
is_timestamp (const char *value)
{
  return value != NULL && g_ascii_isdigit (value[0]) && strchr (value, 'T') != NULL;
}

/* Times show as ages ("Last Seen", "Last Schedule"): like Age, ascending
 * means the newest first.  RFC 3339 times in UTC sort as text. */
static int
compare_values (const char *a,
                const char *b)
{
  if (is_timestamp (a) && is_timestamp (b))
    return strcmp (b, a);

  return compare_strings_natural (a, b);
}

static int
compare_names (PhObject *a,
               PhObject *b)
{
  int r = strcmp (ph_object_get_name (a), ph_object_get_name (b));

  if (r == 0)
    r = strcmp (ph_object_get_namespace (a), ph_object_get_namespace (b));
  if (r == 0)
    r = g_strcmp0 (ph_object_get_context (a), ph_object_get_context (b));

  return r;
}

static int
compare_objects (gconstpointer a_,
                 gconstpointer b_,
                 gpointer      user_data)
{
  PhObject *a = (PhObject *) a_;
  PhObject *b = (PhObject *) b_;
  const PhColumnInfo *info = user_data;
  int r = 0;

  switch (info->type)
    {
    case PH_COLUMN_NAME:
      break;

    case PH_COLUMN_NAMESPACE:
      r = strcmp (ph_object_get_namespace (a), ph_object_get_namespace (b));
      break;

    case PH_COLUMN_CLUSTER:
      r = g_strcmp0 (ph_object_get_context (a), ph_object_get_context (b));
      break;

    case PH_COLUMN_READY:
      r = compare_strings_natural (ph_object_get_ready (a), ph_object_get_ready (b));
      break;

    case PH_COLUMN_STATUS:
      r = g_strcmp0 (ph_object_get_status (a), ph_object_get_status (b));
      break;

    case PH_COLUMN_RESTARTS:
      {
        gint64 ra = ph_object_get_restarts (a);
        gint64 rb = ph_object_get_restarts (b);

        r = ra < rb ? -1 : ra > rb ? 1 : 0;
      }
      break;

    case PH_COLUMN_AGE:
      {
        /* Ascending age means newest first. */
        gint64 ta = ph_object_get_creation_timestamp (a);
        gint64 tb = ph_object_get_creation_timestamp (b);

        r = ta > tb ? -1 : ta < tb ? 1 : 0;
      }
      break;

    case PH_COLUMN_NODE:
      r = g_strcmp0 (ph_object_get_node (a), ph_object_get_node (b));
      break;

    case PH_COLUMN_EXTRA:
      if (info->field[0] == '@')
        r = compare_values (ph_object_get_column (a, info->field + 1),
                            ph_object_get_column (b, info->field + 1));
      break;

    case PH_COLUMN_JSONPATH:
      break;

    default:
      g_assert_not_reached ();
    }

  if (r == 0)
    r = compare_names (a, b);

  return r < 0 ? GTK_ORDERING_SMALLER : r > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* Columns read from the JSON sort by their value as the cells show it.
 * Extracting it parses the object, far too slow for every comparison of
 * a sort: each object keeps the value it had at its current version. */
typedef struct
{
  char       *field;
  PhJsonPath *json_path;
  const char *placeholder;
  GQuark      quark;
} FieldSort;

typedef struct
{
  char *resource_version;
  char *value;
} SortKey;

static void
sort_key_free (gpointer data)
{
  SortKey *key = data;

  g_free (key->resource_version);
  g_free (key->value);
  g_free (key);
}

static void
field_sort_free (gpointer data)
{
  FieldSort *sort = data;

  g_free (sort->field);
  g_clear_pointer (&sort->json_path, ph_json_path_free);
  g_free (sort);
}

static FieldSort *
field_sort_new (const PhColumnInfo *info)
{
  FieldSort *sort = g_new0 (FieldSort, 1);
  g_autofree char *name = g_strconcat ("ph-sort-key ", info->field, NULL);

  sort->field = g_strdup (info->field);
  if (info->field[0] == '.' || info->field[0] == '{' || info->field[0] == '$')
    sort->json_path = ph_json_path_parse (info->field, NULL);
  sort->placeholder = info->type == PH_COLUMN_JSONPATH ? "<none>" : NULL;
  sort->quark = g_quark_from_string (name);

  return sort;
}

static const char *
field_sort_key (FieldSort *sort,
                PhObject  *object)
{
  SortKey *key = g_object_get_qdata (G_OBJECT (object), sort->quark);
  const char *rv = ph_object_get_resource_version (object);

  if (key == NULL || g_strcmp0 (key->resource_version, rv) != 0)
    {
      key = g_new0 (SortKey, 1);
      key->resource_version = g_strdup (rv);
      key->value = ph_field_value (object, sort->field, sort->json_path, sort->placeholder);
      g_object_set_qdata_full (G_OBJECT (object), sort->quark, key, sort_key_free);
    }

  return key->value;
}

static int
compare_fields (gconstpointer a_,
                gconstpointer b_,
                gpointer      user_data)
{
  PhObject *a = (PhObject *) a_;
  PhObject *b = (PhObject *) b_;
  FieldSort *sort = user_data;
  int r = compare_values (field_sort_key (sort, a), field_sort_key (sort, b));

  if (r == 0)
    r = compare_names (a, b);

  return r < 0 ? GTK_ORDERING_SMALLER : r > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* Filtering. */

static gboolean
labels_contain (PhObject   *object,
                const char *pair)
{
  const char * const *labels = ph_object_get_labels (object);

  for (guint i = 0; labels[i] != NULL; i++)
    if (g_str_equal (labels[i], pair))
      return TRUE;

  return FALSE;
}

static gboolean
object_matches_terms (PhObject           *object,
                      const char * const *terms)
{
  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *term = terms[i];

      if (strchr (term, '=') != NULL)
        {
          if (!labels_contain (object, term))
            return FALSE;
        }
      else if (strstr (ph_object_get_name (object), term) == NULL &&
               strstr (ph_object_get_namespace (object), term) == NULL)
        return FALSE;
    }

  return TRUE;
}

static char **
split_search (const char *text)
{
  g_autofree char *lower = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return NULL;

  /* Names and namespaces are lower case DNS labels; label keys and values
   * keep their case. */
  parts = g_strsplit_set (text, " \t", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (strchr (parts[i], '=') != NULL)
        g_strv_builder_add (builder, parts[i]);
      else
        {
          g_autofree char *down = g_utf8_strdown (parts[i], -1);

          g_strv_builder_add (builder, down);
        }
    }

  return g_strv_builder_end (builder);
}

gboolean
ph_resource_view_object_matches (PhObject   *object,
                                 const char *text)
{
  g_auto(GStrv) terms = split_search (text);

  g_return_val_if_fail (PH_IS_OBJECT (object), FALSE);

  return terms == NULL || object_matches_terms (object, (const char * const *) terms);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  PhResourceView *self = user_data;

  return self->search_terms == NULL || object_matches_terms (item, (const char * const *) self->search_terms);
}

static void
on_search_changed (PhResourceView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search_terms, g_strfreev);
  self->search_terms = split_search (text);
  if (self->search_terms != NULL && self->search_terms[0] == NULL)
    g_clear_pointer (&self->search_terms, g_strfreev);

  /* Without a search the filter model passes items through untouched:
   * no per-item call for 50,000 rows on every change. */
  if (self->search_terms == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, NULL);
  else
    {
      gtk_filter_list_model_set_filter (self->filter_model, self->filter);
      gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
    }

  ph_resource_view_queue_state_update (self);
}

static void
on_stop_search (PhResourceView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* Columns. */

static const char *
cell_resource (PhColumnType type)
{
  switch (type)
    {
    case PH_COLUMN_NAME: return "/io/github/porthole/Porthole/ui/ph-cell-name.ui";
    case PH_COLUMN_NAMESPACE: return "/io/github/porthole/Porthole/ui/ph-cell-namespace.ui";
    case PH_COLUMN_CLUSTER: return "/io/github/porthole/Porthole/ui/ph-cell-cluster.ui";
    case PH_COLUMN_READY: return "/io/github/porthole/Porthole/ui/ph-cell-ready.ui";
    case PH_COLUMN_STATUS: return "/io/github/porthole/Porthole/ui/ph-cell-status.ui";
    case PH_COLUMN_RESTARTS: return "/io/github/porthole/Porthole/ui/ph-cell-restarts.ui";
    case PH_COLUMN_AGE: return "/io/github/porthole/Porthole/ui/ph-cell-age.ui";
    case PH_COLUMN_NODE: return "/io/github/porthole/Porthole/ui/ph-cell-node.ui";
    case PH_COLUMN_EXTRA:
    default:
      return NULL;
    }
}

/* What the cell templates may call. */
static GtkBuilderScope *
cell_scope (void)
{
  static GtkBuilderScope *scope;

  if (scope == NULL)
    {
      scope = gtk_builder_cscope_new ();
      gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope), "ph_inscription_query_tooltip",
                                              G_CALLBACK (ph_inscription_query_tooltip));
    }

  return scope;
}

static void
field_cell_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  const PhColumnInfo       *info)
{
  GtkWidget *cell = ph_field_cell_new (info->field);

  if (info->type == PH_COLUMN_JSONPATH)
    ph_field_cell_set_placeholder (PH_FIELD_CELL (cell), "<none>");
  gtk_list_item_set_child (item, cell);
}

static void
field_cell_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  ph_field_cell_set_object (PH_FIELD_CELL (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item));
}

static void
field_cell_unbind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  ph_field_cell_set_object (PH_FIELD_CELL (gtk_list_item_get_child (item)), NULL);
}

static GtkColumnViewColumn *
create_column (const PhColumnInfo *info)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkSorter) sorter = NULL;
  GtkColumnViewColumn *column;
  const char *resource = cell_resource (info->type);

  if (resource != NULL)
    factory = gtk_builder_list_item_factory_new_from_resource (cell_scope (), resource);
  else
    {
      /* Kind-specific fields are only known at run time: a signal factory
       * carries the field to read into each cell. */
      factory = gtk_signal_list_item_factory_new ();
      g_signal_connect (factory, "setup", G_CALLBACK (field_cell_setup), (gpointer) info);
      g_signal_connect (factory, "bind", G_CALLBACK (field_cell_bind), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (field_cell_unbind), NULL);
    }

  column = gtk_column_view_column_new (_(info->title), g_steal_pointer (&factory));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, info->expand);
  if (info->width > 0)
    gtk_column_view_column_set_fixed_width (column, info->width);

  if ((info->type != PH_COLUMN_EXTRA && info->type != PH_COLUMN_JSONPATH) || info->field[0] == '@')
    sorter = GTK_SORTER (gtk_custom_sorter_new (compare_objects, (gpointer) info, NULL));
  else
    sorter = GTK_SORTER (gtk_custom_sorter_new (compare_fields, field_sort_new (info), field_sort_free));
  gtk_column_view_column_set_sorter (column, sorter);

  return column;
}

static const PhColumnInfo cluster_column = { PH_COLUMN_CLUSTER, N_("Cluster"), NULL, FALSE };

static void
ph_resource_view_rebuild_columns (PhResourceView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  GtkColumnViewColumn *sort_column = NULL;
  const PhColumnInfo *infos;
  guint n_infos;

  self->cluster_column = NULL;
  self->name_column = NULL;
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }

  if (self->kind == NULL)
    return;

  infos = ph_kind_get_columns (self->kind, &n_infos);
  for (guint i = 0; i < n_infos; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = create_column (&infos[i]);

      /* Without a Namespace column (cluster-scoped kinds) the cluster
       * follows the name; otherwise it comes first. */
      if (self->multi_cluster && i == 0)
        {
          g_autoptr(GtkColumnViewColumn) cluster = create_column (&cluster_column);

          gtk_column_view_append_column (self->column_view, cluster);
          self->cluster_column = cluster;
        }

      gtk_column_view_append_column (self->column_view, column);
      if (infos[i].type == PH_COLUMN_NAME)
        self->name_column = column;
      if (sort_column == NULL && (infos[i].type == PH_COLUMN_NAME || i == n_infos - 1))
        sort_column = column;
    }

  /* Events read best newest first (ascending Last Seen, like Age);
   * everything else by name. */
  if (g_str_equal (ph_kind_get_resource (self->kind), "events"))
    {
      guint n = g_list_model_get_n_items (columns);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

          if (g_strcmp0 (gtk_column_view_column_get_title (column), _("Last Seen")) == 0)
            sort_column = column;
        }
    }

  gtk_column_view_sort_by_column (self->column_view, sort_column, GTK_SORT_ASCENDING);
}

/* Selecting a second cluster only adds the Cluster column: the columns
 * and the order the user chose stay. */
static void
ph_resource_view_toggle_cluster_column (PhResourceView *self)
{
  if (self->multi_cluster && self->cluster_column == NULL)
    {
      g_autoptr(GtkColumnViewColumn) cluster = create_column (&cluster_column);

      gtk_column_view_insert_column (self->column_view, 0, cluster);
      self->cluster_column = cluster;
    }
  else if (!self->multi_cluster && self->cluster_column != NULL)
    {
      gtk_column_view_remove_column (self->column_view, self->cluster_column);
      self->cluster_column = NULL;

      /* It may have been what the list was sorted by. */
      if (gtk_sorter_get_order (gtk_column_view_get_sorter (self->column_view)) == GTK_SORTER_ORDER_NONE &&
          self->name_column != NULL)
        gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);
    }
}

/* State. */

static const char *
cache_where (PhListCache *cache,
             char       **out_owned)
{
  PhQuery *query = ph_list_cache_get_query (cache);
  const char *context = ph_cluster_get_context_name (ph_query_get_cluster (query));
  const char *ns = ph_query_get_namespace (query);

  if (ns != NULL)
    *out_owned = g_strdup_printf ("%s · %s", context, ns);
  else
    *out_owned = g_strdup (context);

  return *out_owned;
}

static char *
format_count (guint n)
{
  /* Thousands grouped the way the locale does it. */
  return g_strdup_printf ("%'u", n);
}

/* A title a person understands for what failed; the message of the
 * server stays available as the detail. */
static char *
describe_error (PhListCache *cache)
{
  const GError *error = ph_list_cache_get_error (cache);
  const char *ns = ph_query_get_namespace (ph_list_cache_get_query (cache));

  if (g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_FORBIDDEN))
    {
      if (ns != NULL)
        return g_strdup_printf (_("Forbidden in namespace %s"), ns);
      return g_strdup (_("Forbidden"));
    }
  if (g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND))
    return g_strdup (_("Not served by this cluster"));
  if (g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED))
    return g_strdup (_("Not authorized"));

  return g_strdup (_("Failed"));
}

static char *
describe_cache (PhListCache *cache,
                gint64       now_us)
{
  switch (ph_list_cache_get_state (cache))
    {
    case PH_CACHE_STATE_SYNCING:
      {
        g_autofree char *synced = format_count (ph_list_cache_get_synced_items (cache));
        guint expected = ph_list_cache_get_expected_items (cache);

        if (expected > 0)
          {
            g_autofree char *total = format_count (expected);

            /* Translators: progress of loading a list, "Syncing 12,000 / 50,000" */
            return g_strdup_printf (_("Syncing %s / %s"), synced, total);
          }
        if (ph_list_cache_get_synced_items (cache) == 0)
          return g_strdup (_("Syncing…"));
        return g_strdup_printf (_("Syncing %s"), synced);
      }

    case PH_CACHE_STATE_LIVE:
      return g_strdup (_("Live"));

    case PH_CACHE_STATE_RECONNECTING:
      {
        gint64 retry = ph_list_cache_get_retry_time (cache);
        gint64 seconds = retry > now_us ? (retry - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;

        if (seconds > 0)
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reconnecting in %d s", "Reconnecting in %d s", seconds),
                                  (int) seconds);
        return g_strdup (_("Reconnecting…"));
      }

    case PH_CACHE_STATE_STALE:
      {
        gint64 last = ph_list_cache_get_last_event_time (cache);

        if (last > 0)
          {
            g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (last / G_USEC_PER_SEC);
            g_autofree char *time = g_date_time_format (dt, "%H:%M");

            return g_strdup_printf (_("Stale since %s"), time);
          }
        return g_strdup (_("Stale"));
      }

    case PH_CACHE_STATE_ERROR:
    default:
      return describe_error (cache);
    }
}

static void
on_problem_retry (GtkButton   *button,
                  PhListCache *cache)
{
  ph_list_cache_retry (cache);
}

static GtkWidget *
create_problem_row (PhListCache *cache,
                    const char  *text)
{
  PhCacheState state = ph_list_cache_get_state (cache);
  const char *error = ph_list_cache_get_error_message (cache);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name (state == PH_CACHE_STATE_ERROR ?
                                                  "dialog-error-symbolic" : "dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

  gtk_widget_add_css_class (icon, state == PH_CACHE_STATE_ERROR ? "error" : "warning");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (labels), label);

  /* The server's own words, for whoever has to fix it. */
  if (error != NULL && *error != '\0')
    {
      GtkWidget *detail = gtk_label_new (error);

      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (detail), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (detail), TRUE);
      gtk_widget_add_css_class (detail, "caption");
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_box_append (GTK_BOX (labels), detail);
    }

  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
  g_signal_connect_object (retry, "clicked", G_CALLBACK (on_problem_retry), cache, 0);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), retry);

  return box;
}

static void
mark_first_rows_after_paint (GdkFrameClock *clock,
                             gpointer       user_data)
{
  PhFrameProbe *probe = user_data;

  ph_frame_probe_mark (probe, "first-rows");
  g_signal_handlers_disconnect_by_func (clock, mark_first_rows_after_paint, user_data);
}

static PhFrameProbe *
get_frame_probe (PhResourceView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app;

  if (!GTK_IS_WINDOW (root))
    return NULL;
  app = gtk_window_get_application (GTK_WINDOW (root));
  if (!PH_IS_APPLICATION (app))
    return NULL;

  return ph_application_get_frame_probe (PH_APPLICATION (app));
}

static void
scroll_to_top_after_paint (GdkFrameClock  *clock,
                           PhResourceView *self)
{
  GtkAdjustment *adjustment;

  g_signal_handlers_disconnect_by_func (clock, scroll_to_top_after_paint, self);
  g_clear_weak_pointer (&self->to_top_clock);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  /* Only a list with rows that is not at the top already: GTK 4.8 warns
   * when asked to scroll a list it has no rows laid out for. */
  if (adjustment == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) == 0 ||
      gtk_adjustment_get_value (adjustment) <= gtk_adjustment_get_lower (adjustment))
    return;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

/* Once the rows just changed are laid out: before that the view can
 * neither find the first row nor keep its place when all rows change. */
static void
queue_scroll_to_top (PhResourceView *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL || self->to_top_clock != NULL)
    return;

  g_set_weak_pointer (&self->to_top_clock, clock);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (scroll_to_top_after_paint), self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
refilter_cb (gpointer user_data)
{
  PhResourceView *self = user_data;

  self->refilter_id = 0;
  if (self->search_terms != NULL)
    gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);

  return G_SOURCE_REMOVE;
}

/* Objects that changed in place may sort elsewhere now. */
static void
on_objects_updated (PhResourceView *self,
                    GPtrArray      *objects)
{
  ph_sort_model_items_updated (self->sort_model, objects);

  /* Names and namespaces never change in place, labels do: a label
   * filter is asked again (the filter model announces only what moved
   * in or out).  That is a pass over the whole list, so at most once per
   * refilter interval however many updates arrive. */
  if (self->refilter_id != 0)
    return;
  for (guint i = 0; self->search_terms != NULL && self->search_terms[i] != NULL; i++)
    if (strchr (self->search_terms[i], '=') != NULL)
      {
        self->refilter_id = g_timeout_add (REFILTER_INTERVAL_MS, refilter_cb, self);
        break;
      }
}

/* The user scrolled or moved through the list while it loads: from now
 * on, where they are is where the list stays. */
static gboolean
on_user_moved (PhResourceView *self)
{
  self->to_top = FALSE;
  return FALSE;
}

static void
on_shown_items_changed (PhResourceView *self,
                         guint           position,
                         guint           removed,
                         guint           added,
                         GListModel     *model)
{
  if (!self->marked_first_rows && g_list_model_get_n_items (model) > 0)
    {
      PhFrameProbe *probe = get_frame_probe (self);

      if (probe != NULL)
        ph_frame_probe_mark (probe, "first-row-model");
    }

  /* The benchmark's "first rows shown": the first paint after the list
   * holds a screenful and more. */
  if (!self->marked_first_rows && g_list_model_get_n_items (model) >= 1000)
    {
      PhFrameProbe *probe = get_frame_probe (self);
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      self->marked_first_rows = TRUE;
      if (probe != NULL && clock != NULL)
        {
          ph_frame_probe_mark (probe, "first-rows-model");
          g_signal_connect_object (clock, "after-paint", G_CALLBACK (mark_first_rows_after_paint), probe, 0);
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
    }

  if (self->reselect_uid != NULL && added > 0)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->caches));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PhListCache) cache = g_list_model_get_item (G_LIST_MODEL (self->caches), i);
          PhObject *object = ph_list_cache_lookup (cache, self->reselect_uid);

          if (object != NULL && ph_resource_view_select_object (self, object))
            {
              g_clear_pointer (&self->reselect_uid, g_free);
              break;
            }
        }
    }

  /* Rows sorted in above the first one would push it down. */
  if (self->to_top && self->reselect_uid == NULL)
    queue_scroll_to_top (self);

  if ((removed == 0) != (added == 0) || position == 0)
    ph_resource_view_queue_state_update (self);
}

static gboolean
countdown_cb (gpointer user_data)
{
  PhResourceView *self = user_data;

  ph_resource_view_queue_state_update (self);

  return G_SOURCE_CONTINUE;
}

static void
ph_resource_view_update_state (PhResourceView *self)
{
  guint n_caches = g_list_model_get_n_items (G_LIST_MODEL (self->caches));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  guint n_total = g_list_model_get_n_items (G_LIST_MODEL (self->flatten_model));
  gint64 now = g_get_real_time ();
  PhCacheState worst = PH_CACHE_STATE_LIVE;
  g_autofree char *worst_text = NULL;
  gboolean any_reconnecting = FALSE;
  gboolean any_syncing = FALSE;
  guint64 synced = 0, expected = 0;
  g_autofree char *count_text = NULL;
  GtkWidget *child;
  static const int severity[] = {
    [PH_CACHE_STATE_LIVE] = 0,
    [PH_CACHE_STATE_SYNCING] = 1,
    [PH_CACHE_STATE_RECONNECTING] = 2,
    [PH_CACHE_STATE_STALE] = 3,
    [PH_CACHE_STATE_ERROR] = 4,
  };

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  g_ptr_array_set_size (self->problems, 0);

  for (guint i = 0; i < n_caches; i++)
    {
      g_autoptr(PhListCache) cache = g_list_model_get_item (G_LIST_MODEL (self->caches), i);
      PhCacheState state = ph_list_cache_get_state (cache);
      g_autofree char *text = describe_cache (cache, now);

      if (state == PH_CACHE_STATE_SYNCING)
        {
          any_syncing = TRUE;
          synced += ph_list_cache_get_synced_items (cache);
          expected += ph_list_cache_get_expected_items (cache);
        }
      if (state == PH_CACHE_STATE_RECONNECTING)
        any_reconnecting = TRUE;

      if (severity[state] > severity[worst] || worst_text == NULL)
        {
          worst = state;
          g_free (worst_text);
          worst_text = g_strdup (text);
        }

      /* Every list that is not fine says so in place, with its cluster
       * and namespace; one failing list never hides the others. */
      if (state == PH_CACHE_STATE_RECONNECTING || state == PH_CACHE_STATE_STALE || state == PH_CACHE_STATE_ERROR)
        {
          g_autofree char *where_owned = NULL;
          const char *where = cache_where (cache, &where_owned);
          g_autofree char *line = g_strdup_printf ("%s: %s", where, text);

          gtk_list_box_append (self->problems_list, create_problem_row (cache, line));
          g_ptr_array_add (self->problems, g_steal_pointer (&line));
        }
    }

  gtk_revealer_set_reveal_child (self->problems_revealer, self->problems->len > 0);

  /* Syncing across several lists reads better as one sum. */
  if (worst == PH_CACHE_STATE_SYNCING && n_caches > 1)
    {
      g_autofree char *s = format_count (synced);

      g_free (worst_text);
      if (expected > 0)
        {
          g_autofree char *e = format_count (expected);

          worst_text = g_strdup_printf (_("Syncing %s / %s"), s, e);
        }
      else if (synced == 0)
        worst_text = g_strdup (_("Syncing…"));
      else
        worst_text = g_strdup_printf (_("Syncing %s"), s);
    }

  g_free (self->state_text);
  self->state_text = g_strdup (n_caches == 0 ? "" : worst_text);
  gtk_label_set_label (self->state_label, self->state_text);

  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "accent");
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), n_caches > 0);
  switch (worst)
    {
    case PH_CACHE_STATE_LIVE:
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "success");
      break;
    case PH_CACHE_STATE_SYNCING:
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "accent");
      break;
    case PH_CACHE_STATE_RECONNECTING:
    case PH_CACHE_STATE_STALE:
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "warning");
      break;
    case PH_CACHE_STATE_ERROR:
    default:
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "error");
      break;
    }

  if (self->kind != NULL)
    {
      g_autofree char *shown = format_count (n_shown);
      g_autofree char *total = format_count (n_total);

      if (self->search_terms != NULL)
        /* Translators: "12 of 5,000 objects" shown after a search */
        count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s object", "%s of %s objects", n_total),
                                      shown, total);
      else
        count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s object", "%s objects", n_total), total);
    }
  gtk_label_set_label (self->count_label, count_text);

  if (n_shown > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (any_syncing)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    {
      if (self->search_terms != NULL)
        {
          adw_status_page_set_title (self->empty_page, _("No Results"));
          adw_status_page_set_description (self->empty_page, _("No object matches the search."));
          adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
        }
      else if (n_caches == 0)
        {
          adw_status_page_set_title (self->empty_page, _("No Cluster Selected"));
          adw_status_page_set_description (self->empty_page, _("Select one or more clusters in the sidebar."));
          adw_status_page_set_icon_name (self->empty_page, "network-server-symbolic");
        }
      else if (worst == PH_CACHE_STATE_ERROR)
        {
          adw_status_page_set_title (self->empty_page, _("Cannot Show This List"));
          adw_status_page_set_description (self->empty_page, _("The problems are listed above."));
          adw_status_page_set_icon_name (self->empty_page, "dialog-error-symbolic");
        }
      else
        {
          g_autofree char *title = g_strdup_printf (_("No %s"), ph_kind_get_title (self->kind));

          adw_status_page_set_title (self->empty_page, title);
          adw_status_page_set_description (self->empty_page, NULL);
          adw_status_page_set_icon_name (self->empty_page, "folder-symbolic");
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  gtk_spinner_set_spinning (self->spinner, any_syncing && n_shown == 0);

  /* Loaded: from now on rows come and go around what the user reads. */
  if (!any_syncing && !ph_sort_model_get_pending (self->sort_model))
    self->to_top = FALSE;

  /* A countdown is on screen: tick once a second, only while needed. */
  if (any_reconnecting && self->countdown_id == 0)
    self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
  else if (!any_reconnecting)
    g_clear_handle_id (&self->countdown_id, g_source_remove);
}

static gboolean
state_idle_cb (gpointer user_data)
{
  PhResourceView *self = user_data;

  self->state_idle_id = 0;
  ph_resource_view_update_state (self);

  return G_SOURCE_REMOVE;
}

static void
ph_resource_view_queue_state_update (PhResourceView *self)
{
  /* Nothing to show once the template is gone (during dispose). */
  if (self->sort_model == NULL)
    return;

  /* Cache notifications come in bursts (synced-items per page, state
   * changes per list): summarise once per main-loop turn, before the
   * next frame (an ordinary idle never runs while frames take longer
   * than their interval, as with a spinner under software rendering). */
  if (self->state_idle_id == 0)
    self->state_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, state_idle_cb, self, NULL);
}

/* Caches. */

static void
on_cache_notify (PhResourceView *self,
                 GParamSpec     *pspec,
                 PhListCache    *cache)
{
  ph_resource_view_queue_state_update (self);
}

static void
release_cache (PhResourceView *self,
               PhListCache    *cache)
{
  PhWatchHub *hub = g_hash_table_lookup (self->cache_hubs, cache);

  g_signal_handlers_disconnect_by_func (cache, on_cache_notify, self);
  if (hub != NULL)
    ph_watch_hub_release (hub, cache);
  g_hash_table_remove (self->cache_hubs, cache);
}

static void
release_all (PhResourceView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->caches));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhListCache) cache = g_list_model_get_item (G_LIST_MODEL (self->caches), i);

      release_cache (self, cache);
    }
}

static GPtrArray *
build_queries (GPtrArray          *clusters,
               const char * const *namespaces,
               PhKind             *kind)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_query_unref);
  gboolean per_namespace = ph_kind_get_namespaced (kind) && namespaces != NULL && namespaces[0] != NULL;

  for (guint i = 0; clusters != NULL && i < clusters->len; i++)
    {
      PhCluster *cluster = g_ptr_array_index (clusters, i);

      if (!per_namespace)
        g_ptr_array_add (queries, ph_query_new (cluster, ph_kind_get_group (kind), ph_kind_get_version (kind),
                                                ph_kind_get_resource (kind), NULL, NULL, NULL));
      else
        for (guint j = 0; namespaces[j] != NULL; j++)
          g_ptr_array_add (queries, ph_query_new (cluster, ph_kind_get_group (kind), ph_kind_get_version (kind),
                                                  ph_kind_get_resource (kind), namespaces[j], NULL, NULL));
    }

  return queries;
}

void
ph_resource_view_set_target (PhResourceView     *self,
                             PhWatchHub         *hub,
                             GPtrArray          *clusters,
                             const char * const *namespaces,
                             PhKind             *kind)
{
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  gboolean kind_changed;
  gboolean multi_cluster;
  gboolean lists_changed = FALSE;
  guint n;

  g_return_if_fail (PH_IS_RESOURCE_VIEW (self));
  g_return_if_fail (hub == NULL || PH_IS_WATCH_HUB (hub));
  g_return_if_fail (kind == NULL || PH_IS_KIND (kind));

  kind_changed = kind != self->kind;
  if (kind_changed)
    g_clear_pointer (&self->reselect_uid, g_free);
  multi_cluster = clusters != NULL && clusters->len > 1;

  g_set_object (&self->hub, hub);
  queries = (hub != NULL && kind != NULL) ? build_queries (clusters, namespaces, kind)
                                          : g_ptr_array_new_with_free_func ((GDestroyNotify) ph_query_unref);

  /* Drop the lists no longer wanted, keep the others as they are. */
  wanted = g_ptr_array_new ();
  n = g_list_model_get_n_items (G_LIST_MODEL (self->caches));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(PhListCache) cache = g_list_model_get_item (G_LIST_MODEL (self->caches), i - 1);
      PhQuery *query = ph_list_cache_get_query (cache);
      gboolean keep = FALSE;

      if (g_hash_table_lookup (self->cache_hubs, cache) == hub)
        for (guint j = 0; j < queries->len && !keep; j++)
          keep = ph_query_equal (query, g_ptr_array_index (queries, j));

      if (!keep)
        {
          release_cache (self, cache);
          g_list_store_remove (self->caches, i - 1);
          lists_changed = TRUE;
        }
    }

  if (kind_changed)
    {
      /* A filter belongs to the list it was typed for. */
      if (self->kind != NULL)
        ph_resource_view_set_search_text (self, NULL);
      g_set_object (&self->kind, kind);
      self->multi_cluster = multi_cluster;
      ph_resource_view_rebuild_columns (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }
  else if (multi_cluster != self->multi_cluster)
    {
      self->multi_cluster = multi_cluster;
      ph_resource_view_toggle_cluster_column (self);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->caches));
  for (guint j = 0; j < queries->len; j++)
    {
      PhQuery *query = g_ptr_array_index (queries, j);
      g_autoptr(PhListCache) cache = NULL;
      gboolean present = FALSE;

      for (guint i = 0; i < n && !present; i++)
        {
          g_autoptr(PhListCache) existing = g_list_model_get_item (G_LIST_MODEL (self->caches), i);

          present = ph_query_equal (ph_list_cache_get_query (existing), query);
        }
      if (present)
        continue;

      cache = ph_watch_hub_acquire (hub, query);
      g_hash_table_insert (self->cache_hubs, g_object_ref (cache), hub);
      g_signal_connect_object (cache, "notify", G_CALLBACK (on_cache_notify), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (cache, "objects-updated", G_CALLBACK (on_objects_updated), self, G_CONNECT_SWAPPED);
      g_list_store_append (self->caches, cache);
      lists_changed = TRUE;

      if (get_frame_probe (self) != NULL)
        ph_frame_probe_mark (get_frame_probe (self), "list-requested");
    }

  if (lists_changed)
    {
      self->to_top = TRUE;
      queue_scroll_to_top (self);
    }

  /* The state line must never describe the previous target. */
  g_clear_handle_id (&self->state_idle_id, g_source_remove);
  ph_resource_view_update_state (self);
}

void
ph_resource_view_retry (PhResourceView *self)
{
  guint n;

  g_return_if_fail (PH_IS_RESOURCE_VIEW (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->caches));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhListCache) cache = g_list_model_get_item (G_LIST_MODEL (self->caches), i);

      if (ph_list_cache_get_state (cache) != PH_CACHE_STATE_LIVE)
        ph_list_cache_retry (cache);
    }
}

void
ph_resource_view_reload (PhResourceView *self)
{
  guint n;

  g_return_if_fail (PH_IS_RESOURCE_VIEW (self));

  /* Each list asks the server afresh and reconciles: rows, selection and
   * scroll position stay, only what changed changes. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->caches));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhListCache) cache = g_list_model_get_item (G_LIST_MODEL (self->caches), i);

      ph_list_cache_relist (cache);
    }

  ph_resource_view_queue_state_update (self);
}

/* Selection. */

static void
on_selected_item_changed (PhResourceView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_OBJECT]);
}

static void
on_row_activated (PhResourceView *self,
                  guint           position)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-details", NULL);
}

PhObject *
ph_resource_view_get_selected_object (PhResourceView *self)
{
  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

/* GTK 4.8's column view has no scroll-to of its own: the action lives on
 * the list view inside it. */
static GtkWidget *
inner_list_view (PhResourceView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;

  return NULL;
}

static void
scroll_to_row (PhResourceView *self,
               guint           position)
{
  GtkWidget *list_view = inner_list_view (self);

  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

/* From the filter to the rows: the selected row, or else the first,
 * selected and focused, so that the details follow at once. */
static void
focus_list (PhResourceView *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  GtkWidget *list_view = inner_list_view (self);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0 || list_view == NULL)
    return;
  if (position == GTK_INVALID_LIST_POSITION)
    {
      position = 0;
      gtk_single_selection_set_selected (self->selection, position);
    }

  scroll_to_row (self, position);
  gtk_widget_grab_focus (list_view);
}

static void
on_search_activate (PhResourceView *self)
{
  focus_list (self);
}

static gboolean
on_search_key_pressed (PhResourceView *self,
                       guint           keyval,
                       guint           keycode,
                       GdkModifierType state)
{
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) &&
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) == 0)
    {
      focus_list (self);
      return TRUE;
    }

  return FALSE;
}

gboolean
ph_resource_view_select_object (PhResourceView *self,
                                PhObject       *object)
{
  guint n;

  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), FALSE);
  g_return_val_if_fail (PH_IS_OBJECT (object), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (item == object)
        {
          gtk_single_selection_set_selected (self->selection, i);
          scroll_to_row (self, i);
          return TRUE;
        }
    }

  return FALSE;
}

/* GObject. */

static void
ph_resource_view_dispose (GObject *object)
{
  PhResourceView *self = PH_RESOURCE_VIEW (object);
  GtkWidget *child;

  if (self->sort_model != NULL)
    ph_sort_model_set_view_func (self->sort_model, NULL, NULL, NULL);
  release_all (self);
  if (self->caches != NULL)
    g_list_store_remove_all (self->caches);
  g_clear_handle_id (&self->state_idle_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  g_clear_handle_id (&self->refilter_id, g_source_remove);
  if (self->to_top_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->to_top_clock, scroll_to_top_after_paint, self);
  g_clear_weak_pointer (&self->to_top_clock);
  g_clear_object (&self->hub);
  g_clear_object (&self->kind);
  g_clear_object (&self->filter);

  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_RESOURCE_VIEW);
  g_clear_handle_id (&self->state_idle_id, g_source_remove);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ph_resource_view_parent_class)->dispose (object);
}

static void
ph_resource_view_finalize (GObject *object)
{
  PhResourceView *self = PH_RESOURCE_VIEW (object);

  g_hash_table_unref (self->cache_hubs);
  g_ptr_array_unref (self->problems);
  g_strfreev (self->search_terms);
  g_free (self->state_text);
  g_free (self->reselect_uid);

  G_OBJECT_CLASS (ph_resource_view_parent_class)->finalize (object);
}

static void
ph_resource_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PhResourceView *self = PH_RESOURCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_OBJECT:
      g_value_set_object (value, ph_resource_view_get_selected_object (self));
      break;

    case PROP_KIND:
      g_value_set_object (value, self->kind);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_resource_view_class_init (PhResourceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_resource_view_dispose;
  object_class->finalize = ph_resource_view_finalize;
  object_class->get_property = ph_resource_view_get_property;

  properties[PROP_SELECTED_OBJECT] =
    g_param_spec_object ("selected-object", NULL, NULL,
                         PH_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_object ("kind", NULL, NULL,
                         PH_TYPE_KIND,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PH_TYPE_LIST_CACHE);
  g_type_ensure (PH_TYPE_SORT_MODEL);
  g_type_ensure (PH_TYPE_OBJECT);
  g_type_ensure (PH_TYPE_AGE_CELL);
  g_type_ensure (PH_TYPE_STATUS_CELL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/porthole/Porthole/ui/ph-resource-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, problems_list);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, stack);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, spinner);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, column_view);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, selection);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, scroller);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, sort_model);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, filter_model);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, flatten_model);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, caches);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, count_label);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, state_icon);
  gtk_widget_class_bind_template_child (widget_class, PhResourceView, state_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_user_moved);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_item_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_shown_items_changed);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ph-resource-view");
}

/* The rows on screen, estimated from the scroll position (rows share
 * one height), and the rows GTK keeps widgets for around them: a list
 * view in GTK 4.8 keeps 200 rows around its anchor, and re-measures
 * every one of them that was part of a change. */
static void
get_shown_rows (guint    *first,
                guint    *n_rows,
                guint    *selected,
                gpointer  user_data)
{
  PhResourceView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double upper = gtk_adjustment_get_upper (adjustment);
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  guint start = 0, end = n, margin;

  if (upper > 0 && page < upper)
    {
      start = (guint) MIN (floor (value / upper * n), n);
      end = (guint) MIN (ceil ((value + page) / upper * n), n);
    }
  margin = 200 + 8;

  *first = start > margin ? start - margin : 0;
  *n_rows = MIN (end + margin, n) - *first;
  *selected = gtk_single_selection_get_selected (self->selection);
}

static void
ph_resource_view_init (PhResourceView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->cache_hubs = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->filter = GTK_FILTER (gtk_custom_filter_new (filter_func, self, NULL));

  /* The sorter of the column view follows the clicked headers. */
  ph_sort_model_set_sorter (self->sort_model, gtk_column_view_get_sorter (self->column_view));
  ph_sort_model_set_view_func (self->sort_model, get_shown_rows, self, NULL);

  ph_resource_view_queue_state_update (self);
}

PhKind *
ph_resource_view_get_kind (PhResourceView *self)
{
  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), NULL);

  return self->kind;
}

GListModel *
ph_resource_view_get_model (PhResourceView *self)
{
  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), NULL);

  return G_LIST_MODEL (self->selection);
}

GtkColumnView *
ph_resource_view_get_column_view (PhResourceView *self)
{
  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), NULL);

  return self->column_view;
}

GListModel *
ph_resource_view_get_caches (PhResourceView *self)
{
  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), NULL);

  return G_LIST_MODEL (self->caches);
}

void
ph_resource_view_set_search_text (PhResourceView *self,
                                  const char     *text)
{
  g_return_if_fail (PH_IS_RESOURCE_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* search-changed is delayed for typing; apply at once. */
  on_search_changed (self);
  ph_sort_model_flush (self->sort_model);
}

void
ph_resource_view_focus_search (PhResourceView *self)
{
  g_return_if_fail (PH_IS_RESOURCE_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

gboolean
ph_resource_view_is_settled (PhResourceView *self)
{
  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), FALSE);

  return !ph_sort_model_get_pending (self->sort_model);
}

const char *
ph_resource_view_get_state_text (PhResourceView *self)
{
  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), NULL);

  return self->state_text;
}

GStrv
ph_resource_view_dup_problems (PhResourceView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PH_IS_RESOURCE_VIEW (self), NULL);

  for (guint i = 0; i < self->problems->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->problems, i));

  return g_strv_builder_end (builder);
}
