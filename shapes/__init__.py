"""The public JSON contract, typed: primitives and media shapes every content app shares.

Content apps describe what they emit beside their serializers (people/shapes.py,
reviews/shapes.py); the API's transport shapes (listings, errors) live in
api/shapes.py. api/openapi.py generates the document's components from all of
them (:func:`shapes.base.component_schemas`), and the tests validate what the
serializers build against the same models, so the document cannot drift.
"""
