/* ph-field-cell.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ph-age-cell.h"
#include "ph-field-cell.h"
#include "ph-json-path.h"
#include "ph-json-util.h"
#include "ph-object.h"

struct _PhFieldCell
{
  GtkWidget       parent_instance;

  GtkInscription *inscription;
  char           *path;
  PhJsonPath     *json_path;
  char           *placeholder;
  char           *column_id;
  char           *text;
  PhObject       *object;
  gulong          notify_id;
  gint64          time;       /* a time shown as an age, or 0 */
};

G_DEFINE_FINAL_TYPE (PhFieldCell, ph_field_cell, GTK_TYPE_WIDGET)

static void
ph_field_cell_set_text (PhFieldCell *self,
                        char        *text)
{
  if (g_strcmp0 (text, self->text) == 0)
    {
      g_free (text);
      return;
    }

  g_free (self->text);
  self->text = text;
  gtk_inscription_set_text (self->inscription, self->text);
}

static void
field_cell_tick (GtkWidget *widget,
                 gint64     now)
{
  PhFieldCell *self = PH_FIELD_CELL (widget);

  if (self->time != 0)
    ph_field_cell_set_text (self, ph_format_age (now - self->time));
}

/* A time shown as an age moves on while it is on screen. */
static void
update_ticking (PhFieldCell *self)
{
  if (self->time != 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    ph_age_tick_add (GTK_WIDGET (self), field_cell_tick);
  else
    ph_age_tick_remove (GTK_WIDGET (self));
}

char *
ph_field_value (PhObject   *object,
                const char *path,
                PhJsonPath *json_path,
                const char *placeholder)
{
  g_autoptr(JsonNode) root = NULL;
  char *text;

  g_return_val_if_fail (PH_IS_OBJECT (object), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (path[0] == '@')
    return g_strdup (ph_object_get_column (object, path + 1));

  root = ph_object_parse (object, NULL);
  if (json_path != NULL)
    text = root != NULL ? ph_json_path_format (json_path, root) : NULL;
  else
    text = ph_json_lookup_display (root, path);

  if (text == NULL || (*text == '\0' && placeholder != NULL))
    {
      g_free (text);
      text = g_strdup (placeholder != NULL ? placeholder : "");
    }

  return text;
}

static void
ph_field_cell_refresh (PhFieldCell *self)
{
  g_autofree char *text = NULL;

  if (self->object != NULL && self->column_id != NULL)
    text = g_strdup (ph_object_get_column (self->object, self->column_id));
  else if (self->object != NULL)
    text = ph_field_value (self->object, self->path, self->json_path, self->placeholder);

  /* Times ("lastTimestamp", "lastScheduleTime") read as ages, like
   * kubectl prints them, and age on screen like the Age column. */
  self->time = 0;
  if (text != NULL && g_ascii_isdigit (text[0]) && strchr (text, 'T') != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

      if (dt != NULL)
        {
          self->time = g_date_time_to_unix (dt);
          g_free (text);
          text = ph_format_age (g_get_real_time () / G_USEC_PER_SEC - self->time);
        }
    }
  update_ticking (self);

  ph_field_cell_set_text (self, g_steal_pointer (&text));
}

gboolean
ph_inscription_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip,
                              gpointer    user_data)
{
  GtkInscription *inscription = GTK_IS_INSCRIPTION (widget) ? GTK_INSCRIPTION (widget) : user_data;
  const char *text = gtk_inscription_get_text (inscription);
  g_autoptr(PangoLayout) layout = NULL;
  int width;

  if (text == NULL || *text == '\0')
    return FALSE;

  /* Only text that does not fit: the rest would just repeat itself. */
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (inscription), text);
  pango_layout_get_pixel_size (layout, &width, NULL);
  if (width <= gtk_widget_get_width (GTK_WIDGET (inscription)))
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_object_changed (PhFieldCell *self)
{
  ph_field_cell_refresh (self);
}

void
ph_field_cell_set_object (PhFieldCell *self,
                          PhObject    *object)
{
  g_return_if_fail (PH_IS_FIELD_CELL (self));
  g_return_if_fail (object == NULL || PH_IS_OBJECT (object));

  if (self->object == object)
    return;

  if (self->object != NULL)
    g_clear_signal_handler (&self->notify_id, self->object);
  g_set_object (&self->object, object);
  if (object != NULL)
    {
      /* Fields PhObject extracts itself announce their own changes; any
       * other field may change with every new version. */
      if (self->column_id != NULL)
        {
          g_autofree char *signal = g_strconcat ("column-changed::", self->column_id, NULL);

          self->notify_id = g_signal_connect_swapped (object, signal, G_CALLBACK (on_object_changed), self);
        }
      else
        self->notify_id = g_signal_connect_swapped (object, "notify::resource-version",
                                                    G_CALLBACK (on_object_changed), self);
    }

  ph_field_cell_refresh (self);
}

const char *
ph_field_cell_get_text (PhFieldCell *self)
{
  g_return_val_if_fail (PH_IS_FIELD_CELL (self), NULL);

  return self->text;
}

static void
ph_field_cell_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ph_field_cell_parent_class)->map (widget);
  update_ticking (PH_FIELD_CELL (widget));
}

static void
ph_field_cell_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ph_field_cell_parent_class)->unmap (widget);
  update_ticking (PH_FIELD_CELL (widget));
}

static void
ph_field_cell_dispose (GObject *object)
{
  PhFieldCell *self = PH_FIELD_CELL (object);

  self->time = 0;
  update_ticking (self);
  if (self->object != NULL)
    g_clear_signal_handler (&self->notify_id, self->object);
  g_clear_object (&self->object);
  if (self->inscription != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->inscription));
      self->inscription = NULL;
    }

  G_OBJECT_CLASS (ph_field_cell_parent_class)->dispose (object);
}

static void
ph_field_cell_finalize (GObject *object)
{
  PhFieldCell *self = PH_FIELD_CELL (object);

  g_free (self->path);
  g_clear_pointer (&self->json_path, ph_json_path_free);
  g_free (self->placeholder);
  g_free (self->column_id);
  g_free (self->text);

  G_OBJECT_CLASS (ph_field_cell_parent_class)->finalize (object);
}

static void
ph_field_cell_class_init (PhFieldCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_field_cell_dispose;
  object_class->finalize = ph_field_cell_finalize;

  widget_class->map = ph_field_cell_map;
  widget_class->unmap = ph_field_cell_unmap;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ph-field-cell");
}

static void
ph_field_cell_init (PhFieldCell *self)
{
  self->inscription = GTK_INSCRIPTION (gtk_inscription_new (NULL));
  gtk_inscription_set_min_chars (self->inscription, 3);
  gtk_inscription_set_nat_chars (self->inscription, 10);
  gtk_inscription_set_text_overflow (self->inscription, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_parent (GTK_WIDGET (self->inscription), GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->inscription), TRUE);
  g_signal_connect (self->inscription, "query-tooltip", G_CALLBACK (ph_inscription_query_tooltip), NULL);
}

GtkWidget *
ph_field_cell_new (const char *path)
{
  PhFieldCell *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PH_TYPE_FIELD_CELL, NULL);
  if (path[0] == '@')
    self->column_id = g_strdup (path + 1);
  else
    self->path = g_strdup (path);

  /* Printer columns and plugin views speak kubectl's JSONPath; the
   * built-in kinds' plain dotted paths never start like one. */
  if (path[0] == '.' || path[0] == '{' || path[0] == '$')
    {
      g_autoptr(GError) error = NULL;

      self->json_path = ph_json_path_parse (path, &error);
      if (self->json_path == NULL)
        {
          g_debug ("Column path “%s” not understood: %s", path, error->message);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self), error->message);
        }
    }

  return GTK_WIDGET (self);
}

void
ph_field_cell_set_placeholder (PhFieldCell *self,
                               const char  *placeholder)
{
  g_return_if_fail (PH_IS_FIELD_CELL (self));

  g_free (self->placeholder);
  self->placeholder = g_strdup (placeholder);
  ph_field_cell_refresh (self);
}
