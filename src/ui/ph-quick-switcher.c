/* ph-quick-switcher.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ph-kinds.h"
#include "ph-object.h"
#include "ph-quick-switcher.h"

struct _PhQuickSwitcher
{
  AdwWindow           parent_instance;

  char               *text;
  GtkFilter          *filter;
  GtkFilterListModel *filter_model;
  GtkSingleSelection *selection;

  GtkSearchEntry     *entry;
  GtkListView        *list_view;
  GtkStack           *results_stack;
};

G_DEFINE_FINAL_TYPE (PhQuickSwitcher, ph_quick_switcher, ADW_TYPE_WINDOW)

enum {
  KIND_CHOSEN,
  OBJECT_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
matches (gpointer item,
         gpointer user_data)
{
  PhQuickSwitcher *self = user_data;

  if (self->text == NULL || *self->text == '\0')
    return PH_IS_KIND (item);

  if (PH_IS_KIND (item))
    {
      g_autofree char *title = g_utf8_strdown (ph_kind_get_title (item), -1);

      return strstr (title, self->text) != NULL ||
             strstr (ph_kind_get_resource (item), self->text) != NULL ||
             g_ascii_strcasecmp (ph_kind_get_kind (item), self->text) == 0;
    }

  return strstr (ph_object_get_name (item), self->text) != NULL;
}

/* How well @item matches the text: 0 exactly, 1 by its start, 2 inside;
 * lower is better. */
static guint
match_rank (PhQuickSwitcher *self,
            gpointer         item)
{
  if (PH_IS_KIND (item))
    {
      g_autofree char *title = g_utf8_strdown (ph_kind_get_title (item), -1);
      const char *resource = ph_kind_get_resource (item);

      if (g_str_equal (title, self->text) || g_str_equal (resource, self->text) ||
          g_ascii_strcasecmp (ph_kind_get_kind (item), self->text) == 0)
        return 0;
      if (g_str_has_prefix (title, self->text) || g_str_has_prefix (resource, self->text))
        return 1;
      return 2;
    }

  if (g_str_equal (ph_object_get_name (item), self->text))
    return 0;
  if (g_str_has_prefix (ph_object_get_name (item), self->text))
    return 1;
  return 2;
}

/* The result Enter takes: the best ranked, the first of equals (kinds
 * come before objects). */
static guint
best_match (PhQuickSwitcher *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint best = n > 0 ? 0 : GTK_INVALID_LIST_POSITION;
  guint best_rank = G_MAXUINT;

  if (self->text == NULL || *self->text == '\0')
    return best;

  for (guint i = 0; i < n && best_rank > 0; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->filter_model), i);
      guint rank = match_rank (self, item);

      if (rank < best_rank)
        {
          best = i;
          best_rank = rank;
        }
    }

  return best;
}

/* Filters for the entry's text now, and selects the best match. */
static void
update_results (PhQuickSwitcher *self)
{
  g_autofree char *lower = g_utf8_strdown (gtk_editable_get_text (GTK_EDITABLE (self->entry)), -1);
  guint best;

  if (g_strcmp0 (lower, self->text) != 0)
    {
      g_free (self->text);
      self->text = g_steal_pointer (&lower);
      gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
    }

  best = best_match (self);
  gtk_single_selection_set_selected (self->selection, best);
  if (best != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", best);
}

static void
on_search_changed (PhQuickSwitcher *self)
{
  update_results (self);
}

static void
choose (PhQuickSwitcher *self,
        guint            position)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (item == NULL)
    return;

  g_object_ref (self);
  if (PH_IS_KIND (item))
    g_signal_emit (self, signals[KIND_CHOSEN], 0, item);
  else
    g_signal_emit (self, signals[OBJECT_CHOSEN], 0, item);
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
on_entry_activate (PhQuickSwitcher *self)
{
  g_autofree char *lower = g_utf8_strdown (gtk_editable_get_text (GTK_EDITABLE (self->entry)), -1);
  guint selected;

  /* The entry reports typing only after a short delay: Enter right after
   * typing acts on what is typed, not on the results of a moment ago. */
  if (g_strcmp0 (self->text, lower) != 0)
    update_results (self);

  selected = gtk_single_selection_get_selected (self->selection);
  choose (self, selected != GTK_INVALID_LIST_POSITION ? selected : 0);
}

static void
on_list_activate (PhQuickSwitcher *self,
                  guint            position)
{
  choose (self, position);
}

static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_list_item_set_child (item, box);
}

static void
bind_item (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkLabel *title = GTK_LABEL (gtk_widget_get_first_child (box));
  GtkLabel *detail = GTK_LABEL (gtk_widget_get_last_child (box));
  gpointer object = gtk_list_item_get_item (item);

  if (PH_IS_KIND (object))
    {
      gtk_label_set_label (title, ph_kind_get_title (object));
      gtk_label_set_label (detail, _("Kind"));
    }
  else
    {
      g_autofree char *where = NULL;

      if (*ph_object_get_namespace (object) != '\0')
        where = g_strdup_printf ("%s · %s", ph_object_get_kind (object), ph_object_get_namespace (object));
      else
        where = g_strdup (ph_object_get_kind (object));
      gtk_label_set_label (title, ph_object_get_name (object));
      gtk_label_set_label (detail, where);
    }
}

static void
ph_quick_switcher_dispose (GObject *object)
{
  PhQuickSwitcher *self = PH_QUICK_SWITCHER (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_QUICK_SWITCHER);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (ph_quick_switcher_parent_class)->dispose (object);
}

static void
ph_quick_switcher_finalize (GObject *object)
{
  PhQuickSwitcher *self = PH_QUICK_SWITCHER (object);

  g_free (self->text);

  G_OBJECT_CLASS (ph_quick_switcher_parent_class)->finalize (object);
}

static void
ph_quick_switcher_class_init (PhQuickSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_quick_switcher_dispose;
  object_class->finalize = ph_quick_switcher_finalize;

  signals[KIND_CHOSEN] =
    g_signal_new ("kind-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PH_TYPE_KIND);
  signals[OBJECT_CHOSEN] =
    g_signal_new ("object-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PH_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/porthole/Porthole/ui/ph-quick-switcher.ui");
  gtk_widget_class_bind_template_child (widget_class, PhQuickSwitcher, entry);
  gtk_widget_class_bind_template_child (widget_class, PhQuickSwitcher, list_view);
  gtk_widget_class_bind_template_child (widget_class, PhQuickSwitcher, results_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_close);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ph_quick_switcher_init (PhQuickSwitcher *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Rows mix two types (kinds and objects): a signal factory picks the
   * labels per item. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
}

static void
on_results_changed (PhQuickSwitcher *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0;

  gtk_stack_set_visible_child_name (self->results_stack, empty ? "empty" : "results");
}

PhQuickSwitcher *
ph_quick_switcher_new (GtkWindow  *parent,
                       GListModel *kinds,
                       GListModel *objects)
{
  PhQuickSwitcher *self;
  GListStore *parts;
  GtkFlattenListModel *all;

  g_return_val_if_fail (G_IS_LIST_MODEL (kinds), NULL);

  self = g_object_new (PH_TYPE_QUICK_SWITCHER, "transient-for", parent, NULL);

  parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (parts, kinds);
  if (objects != NULL)
    g_list_store_append (parts, objects);
  all = gtk_flatten_list_model_new (G_LIST_MODEL (parts));

  self->filter = GTK_FILTER (gtk_custom_filter_new (matches, self, NULL));
  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (all), g_object_ref (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filter_model));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (on_results_changed), self,
                           G_CONNECT_SWAPPED);
  on_results_changed (self);

  return self;
}

void
ph_quick_switcher_set_text (PhQuickSwitcher *self,
                            const char      *text)
{
  g_return_if_fail (PH_IS_QUICK_SWITCHER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  update_results (self);
}

guint
ph_quick_switcher_get_n_results (PhQuickSwitcher *self)
{
  g_return_val_if_fail (PH_IS_QUICK_SWITCHER (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

gboolean
ph_quick_switcher_activate_first (PhQuickSwitcher *self)
{
  g_return_val_if_fail (PH_IS_QUICK_SWITCHER (self), FALSE);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return FALSE;

  on_entry_activate (self);
  return TRUE;
}
