void f (int n) { printf (ngettext ("%d pod", "%d pods", n), n); }
