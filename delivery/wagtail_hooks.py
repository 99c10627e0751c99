from wagtail import hooks

from .signal_handlers import media_moved_in_bulk

hooks.register("after_bulk_action", media_moved_in_bulk)
