// Marquee reference frontend: renders the delivery API in plain JavaScript.
//
// A review or an interview is one API request, because the API resolves everything a
// page shows (film, directors, critics, images with renditions, related pages):
//
//   /                 GET pages/?type=reviews.ReviewPage and …InterviewPage (latest of both, mixed)
//   /reviews/         GET pages/?type=reviews.ReviewPage      (listing)
//   /interviews/      GET pages/?type=reviews.InterviewPage   (listing)
//   /critics/<slug>/  GET people/?slug=<slug>, pages/?author=<slug> (reviews, interviews)
//   /festivals/       GET festivals/
//   /festivals/<slug>/  GET pages/?festival=<slug> (reviews, interviews)
//   /grades/          the grade legend (no request)
//   /preview/?…       GET preview/?content_type=…&token=…     (an editor's draft)
//   anything else     GET pages/find/?html_path=<path>        (a review or interview)
//
// Strings from the API go into the DOM as text (text nodes and attributes, never
// innerHTML): names, titles, bios, captions, credits, quotes, alt text are plain text,
// and "<b>" in a bio must show as "<b>". Only rich text (`text` blocks and interview
// answers, the API's text/html fields), which the API sanitizes, is set as HTML, and
// only through `richText`.

const config = window.MARQUEE_CONFIG || {};
const API_BASE = new URL(config.apiBase || "http://127.0.0.1:8000/api/v2/");
const LISTING_LIMIT = 20;
const HOME_LIMIT = 12;
// Image widths as app.css lays them out (46rem text column, 64rem wide images, 1rem
// page margins, 32rem the phone breakpoint), so the browser picks a sharp rendition.
const IMAGE_SIZES = "(min-width: 48rem) 46rem, calc(100vw - 2rem)";
const LAYOUT_SIZES = {
  full_width: IMAGE_SIZES,
  wide: "(min-width: 66rem) 64rem, calc(100vw - 2rem)",
  inset_left: "(min-width: 48rem) 21rem, (min-width: 32rem) 45vw, calc(100vw - 2rem)",
  inset_right: "(min-width: 48rem) 21rem, (min-width: 32rem) 45vw, calc(100vw - 2rem)",
};
const POSTER_SIZES = "(max-width: 32rem) calc(100vw - 4rem), 8rem";

const app = document.getElementById("app");

class ApiError extends Error {
  constructor(message, status, reason = null) {
    super(message);
    this.status = status;
    this.reason = reason; // "cors" when the API refused this origin
  }
}

async function api(path, params = {}) {
  const url = new URL(path, API_BASE);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch {
    throw await unreadable(url);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.message || `The API answered ${response.status}.`, response.status);
  return body;
}

/**
 * Why a fetch failed: the browser reports a CORS refusal exactly like an unreachable
 * server. A second, opaque request (no-cors: the browser lets it through but hides the
 * answer) tells them apart: if it succeeds, the API answered and did not allow us.
 */
async function unreadable(url) {
  try {
    await fetch(url, { mode: "no-cors" });
  } catch {
    return new ApiError(`Could not reach the API at ${API_BASE.origin}.`, 0);
  }
  return new ApiError(
    `The API at ${API_BASE.origin} answered but does not allow this site (${location.origin}) to read it: ` +
      `add ${location.origin} to the API's CORS_ALLOWED_ORIGINS.`,
    0,
    "cors",
  );
}

// --- DOM helpers -------------------------------------------------------------

/** h("p", {class: "x"}, "text", child) builds an element; null children are skipped. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An element holding rich text: HTML the API has reduced to its allowlist (docs/api.md). */
function richText(tag, attributes, sanitizedHtml) {
  const element = h(tag, attributes);
  element.innerHTML = sanitizedHtml;
  return element;
}

/** Pages link to each other by their frontend URL; keep them on this origin. */
function pageHref(url) {
  return url ? new URL(url).pathname : null;
}

function picture(image, { alt, className, sizes = IMAGE_SIZES, loading = "lazy" } = {}) {
  if (!image) return null;
  const fallback = image.renditions.fallback;
  return h(
    "picture",
    { class: className },
    h("source", { type: "image/webp", srcset: image.srcset, sizes }),
    h("img", {
      src: fallback.url,
      width: fallback.width,
      height: fallback.height,
      alt: alt ?? image.alt ?? "",
      loading,
      decoding: "async",
    }),
  );
}

function formatDate(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
}

function names(people) {
  return people.map((person) => person.name).join(", ");
}

// --- body blocks ---------------------------------------------------------------

const BLOCKS = {
  text: (value) => richText("div", { class: "block-text" }, value),
  image: (value) => {
    if (!value.image) return null; // deleted or restricted image: the API sends null
    const layout = value.layout in LAYOUT_SIZES ? value.layout : "full_width"; // unknown: text width
    return h(
      "figure",
      { class: `block-image block-image--${layout}`, "data-layout": layout },
      picture(value.image, { alt: value.decorative ? "" : value.alt, sizes: LAYOUT_SIZES[layout] }),
      value.caption || value.credit
        ? h("figcaption", {}, value.caption, value.credit ? h("span", { class: "credit" }, value.credit) : null)
        : null,
    );
  },
  pull_quote: (value) =>
    h(
      "blockquote",
      { class: "pull-quote" },
      h("p", {}, value.quote),
      value.attribution ? h("cite", {}, value.attribution) : null,
    ),
  question_answer: (value) =>
    h(
      "section",
      { class: "qa" },
      h("p", { class: "qa__question" }, value.question),
      value.speaker ? h("p", { class: "qa__speaker" }, value.speaker) : null,
      richText("div", { class: "qa__answer" }, value.answer),
    ),
};

function renderBody(blocks) {
  return h(
    "div",
    { class: "body" },
    blocks.map((block) => {
      const render = BLOCKS[block.type];
      // Unknown block types are skipped: the API may add blocks before this client knows them.
      return render ? withType(render(block.value), block.type) : null;
    }),
  );
}

function withType(element, type) {
  if (element) element.dataset.block = type;
  return element;
}

// --- page parts ------------------------------------------------------------------

function filmBox(film) {
  if (!film) return null;
  const facts = [
    film.year,
    film.runtime_minutes ? `${film.runtime_minutes} min` : null,
    film.countries.join(", ") || null,
  ].filter(Boolean);
  const poster = picture(film.poster, { className: "film__poster", sizes: POSTER_SIZES });
  return h(
    "aside",
    { class: poster ? "film film--with-poster" : "film", "aria-label": "Film" },
    poster,
    h(
      "div",
      { class: "film__facts-box" },
      h("h2", { class: "film__title" }, film.title),
      film.original_title && film.original_title !== film.title ? h("p", { class: "film__original" }, film.original_title) : null,
      film.directors.length ? h("p", { class: "film__directors" }, "Directed by ", names(film.directors)) : null,
      h("p", { class: "film__facts" }, facts.join(" · ")),
      film.synopsis ? h("p", { class: "film__synopsis" }, film.synopsis) : null,
    ),
  );
}

/** A person under a page. ``withPosts``: link to their critic page ("all posts by this author"). */
function authorBox(person, label, { withPosts = false } = {}) {
  const links = Object.entries(person.links || {}).filter(([, url]) => url);
  const photo = picture(person.photo, { className: "author__photo", sizes: "6rem", alt: "" });
  return h(
    "section",
    { class: photo ? "author author--with-photo" : "author", "aria-label": `${label}: ${person.name}` },
    photo,
    h("div", { class: "author__head" }, h("p", { class: "author__label" }, label), h("h2", { class: "author__name" }, person.name)),
    person.bio ? h("p", { class: "author__bio" }, person.bio) : null,
    links.length
      ? h(
          "ul",
          { class: "author__links" },
          links.map(([network, url]) => h("li", {}, h("a", { href: url, rel: "me noopener" }, network))),
        )
      : null,
    withPosts ? h("a", { class: "author__all", href: criticHref(person) }, `All posts by ${person.name}`) : null,
  );
}

function criticHref(person) {
  return `/critics/${encodeURIComponent(person.slug)}/`;
}

function relatedList(related) {
  if (!related.length) return null;
  const label = (page) => (page.type === "reviews.InterviewPage" ? "Interview" : "Review");
  return h(
    "nav",
    { class: "related", "aria-label": "Related" },
    h("h2", {}, "Related"),
    h(
      "ul",
      {},
      related.map((page) =>
        h(
          "li",
          { "data-type": page.type },
          h("span", { class: "related__kind" }, label(page)),
          h("a", { href: pageHref(page.url) }, page.title),
        ),
      ),
    ),
  );
}

function byline(page) {
  const authorLinks = page.authors.flatMap((person, n) => [n ? ", " : "", h("a", { href: criticHref(person) }, person.name)]);
  return h(
    "p",
    { class: "byline" },
    page.authors.length ? ["By ", ...authorLinks] : null,
    page.meta.first_published_at ? h("time", { datetime: page.meta.first_published_at }, ` · ${formatDate(page.meta.first_published_at)}`) : null,
    page.festival
      ? h("span", { class: "festival" }, " · ", h("a", { href: festivalHref(page.festival) }, `${page.festival.name} ${page.festival.year}`))
      : null,
  );
}

/** The parts every review and interview has, in reading order. */
function renderEditorialPage(page, { kind, kicker, verdict = null, people }) {
  return h(
    "article",
    { class: `page ${kind}`, "data-page-id": page.id },
    h(
      "header",
      { class: "page__header" },
      h("p", { class: "kicker" }, kicker),
      h("h1", {}, page.title),
      verdict,
      page.summary ? h("p", { class: "standfirst" }, page.summary) : null,
      byline(page),
    ),
    picture(page.hero_image, { className: "hero", loading: "eager" }),
    filmBox(page.film),
    renderBody(page.body),
    people,
    relatedList(page.related),
  );
}

const renderReview = (page) =>
  renderEditorialPage(page, {
    kind: "review",
    kicker: "Review",
    verdict: h(
      "p",
      { class: "verdict" },
      gradeBadge(page.grade),
      h("a", { class: "verdict__legend", href: "/grades/" }, GRADE_MEANINGS[page.grade[0]] || "How we grade"),
    ),
    people: page.authors.map((person) => authorBox(person, "Critic", { withPosts: true })),
  });

const renderInterview = (page) =>
  renderEditorialPage(page, {
    kind: "interview",
    kicker: "Interview",
    people: [
      ...page.interviewees.map((person) => authorBox(person, "In conversation")),
      ...page.authors.map((person) => authorBox(person, "Interviewer", { withPosts: true })),
    ],
  });

const PAGE_RENDERERS = {
  "reviews.ReviewPage": renderReview,
  "reviews.InterviewPage": renderInterview,
};

// --- grades -----------------------------------------------------------------------

// What each letter means to readers; "+" and "-" move a grade within its letter.
const GRADE_MEANINGS = {
  A: "Outstanding: seek it out",
  B: "Good: worth an evening",
  C: "Mixed: for devotees of its subject or cast",
  D: "Poor: a few moments, not a film",
  F: "A failure on its own terms",
};

function gradeBadge(grade, { small = false } = {}) {
  return h("span", { class: small ? "grade grade--small" : "grade", role: "img", "aria-label": `Grade: ${grade}`, title: `Grade: ${grade}` }, grade);
}

/** The grade badges and what they mean, as on /grades/ and beside every review listing. */
function gradeLegend({ open = false } = {}) {
  return h(
    "details",
    { class: "grade-legend", open },
    h("summary", {}, "How we grade"),
    h(
      "dl",
      {},
      Object.entries(GRADE_MEANINGS).map(([letter, meaning]) =>
        h("div", { class: "grade-legend__row", "data-grade": letter }, h("dt", {}, gradeBadge(letter, { small: true })), h("dd", {}, meaning)),
      ),
    ),
    h("p", { class: "grade-legend__note" }, "A plus or a minus moves a grade up or down within its letter: A+ is our highest, F our lowest."),
  );
}

// --- listings ------------------------------------------------------------------------

const KIND_LABELS = { "reviews.ReviewPage": "Review", "reviews.InterviewPage": "Interview" };

/** One listing card; a page without any image gets a text-only card. */
function card(page, { showKind = false } = {}) {
  const thumbnail = page.thumbnail
    ? h("img", { class: "card__image", src: page.thumbnail.url, width: page.thumbnail.width, height: page.thumbnail.height, alt: "", loading: "lazy" })
    : null;
  const authors = page.author_names?.length ? page.author_names : null;
  return h(
    "li",
    { class: thumbnail ? "card card--with-image" : "card", "data-page-id": page.id, "data-type": page.meta.type },
    thumbnail,
    h(
      "div",
      { class: "card__text" },
      showKind ? h("p", { class: "card__kind" }, KIND_LABELS[page.meta.type] || "") : null,
      h("h2", {}, h("a", { href: pageHref(page.meta.html_url) }, page.title)),
      page.grade ? gradeBadge(page.grade, { small: true }) : null,
      page.interviewee_names?.length ? h("p", { class: "card__with" }, `With ${page.interviewee_names.join(", ")}`) : null,
      page.summary ? h("p", { class: "card__summary" }, page.summary) : null,
      authors ? h("p", { class: "byline" }, `By ${authors.join(", ")}`) : null,
    ),
  );
}

function cards(pages, options) {
  return h("ul", { class: "cards" }, pages.map((page) => card(page, options)));
}

function renderListing(heading, data, type, offset) {
  const next = offset + data.items.length < data.meta.total_count ? offset + LISTING_LIMIT : null;
  return h(
    "section",
    { class: "listing", "data-type": type },
    h("h1", {}, heading),
    type === "reviews.ReviewPage" ? gradeLegend() : null,
    cards(data.items),
    next !== null ? h("a", { class: "more", href: `?offset=${next}` }, "Older") : null,
  );
}

/** Newest first across several listings (each already newest first). */
function newestFirst(...listings) {
  const published = (page) => page.meta.first_published_at || "";
  return listings.flatMap((data) => data.items).sort((a, b) => published(b).localeCompare(published(a)));
}

async function renderHome() {
  const [reviews, interviews] = await Promise.all([
    api("pages/", { type: "reviews.ReviewPage", limit: HOME_LIMIT }),
    api("pages/", { type: "reviews.InterviewPage", limit: HOME_LIMIT }),
  ]);
  return h(
    "section",
    { class: "listing home" },
    h("h1", {}, "Latest reviews and interviews"),
    gradeLegend(),
    cards(newestFirst(reviews, interviews).slice(0, HOME_LIMIT), { showKind: true }),
    h("p", { class: "more" }, h("a", { href: "/reviews/" }, "All reviews"), " · ", h("a", { href: "/interviews/" }, "All interviews")),
  );
}

/** Reviews, then interviews, matching ``filter`` (e.g. ``{author: slug}``), at most 50 of each. */
async function editorialPages(filter, extra = {}) {
  return Promise.all(
    ["reviews.ReviewPage", "reviews.InterviewPage"].map((type) => api("pages/", { type, limit: 50, ...filter, ...extra })),
  );
}

function pagesSection(heading, data, kind) {
  if (!data.items.length) return null;
  const more = data.meta.total_count > data.items.length ? h("p", { class: "more" }, `and ${data.meta.total_count - data.items.length} more`) : null;
  return h("section", { class: "listing", "data-type": kind }, h("h2", { class: "listing__heading" }, heading), cards(data.items), more);
}

async function renderCritic(slug) {
  const [people, [reviews, interviews]] = await Promise.all([api("people/", { slug }), editorialPages({ author: slug })]);
  const person = people.items[0];
  if (!person) throw new ApiError("There is no critic at this address.", 404);
  return [
    h(
      "article",
      { class: "page critic", "data-person-id": person.id },
      h("p", { class: "kicker" }, "Critic"),
      authorBox(person, "About"),
      pagesSection(`Reviews by ${person.name}`, reviews, "reviews.ReviewPage"),
      pagesSection(`Interviews by ${person.name}`, interviews, "reviews.InterviewPage"),
      reviews.items.length ? gradeLegend() : null,
    ),
    person.name,
  ];
}

function festivalHref(festival) {
  return `/festivals/${encodeURIComponent(festival.slug)}/`;
}

async function renderFestivals() {
  const data = await api("festivals/", { limit: 50 });
  return h(
    "section",
    { class: "listing festivals" },
    h("h1", {}, "Festivals"),
    h(
      "ul",
      { class: "festival-list" },
      data.items.map((festival) =>
        h("li", {}, h("a", { href: festivalHref(festival) }, `${festival.name} ${festival.year}`), festival.city ? ` · ${festival.city}` : null),
      ),
    ),
  );
}

async function renderFestival(slug) {
  const [reviews, interviews] = await editorialPages({ festival: slug }, { fields: "festival" });
  const festival = [...reviews.items, ...interviews.items][0]?.festival;
  if (!festival) throw new ApiError("Nothing has been published from this festival.", 404);
  const title = `${festival.name} ${festival.year}`;
  return [
    h(
      "article",
      { class: "page festival-page" },
      h("p", { class: "kicker" }, "Festival"),
      h("h1", {}, title),
      festival.city ? h("p", { class: "standfirst" }, festival.city) : null,
      pagesSection("Reviews", reviews, "reviews.ReviewPage"),
      pagesSection("Interviews", interviews, "reviews.InterviewPage"),
    ),
    title,
  ];
}

function renderGrades() {
  return [h("section", { class: "page grades" }, h("h1", {}, "How we grade"), gradeLegend({ open: true })), "How we grade"];
}

// --- routing -----------------------------------------------------------------------

const LISTINGS = {
  "/reviews/": ["Reviews", "reviews.ReviewPage"],
  "/interviews/": ["Interviews", "reviews.InterviewPage"],
};
// Routes with a slug: [pattern, renderer(slug) → [element, title]].
const SLUG_ROUTES = [
  [/^\/critics\/([^/]+)\/$/, renderCritic],
  [/^\/festivals\/([^/]+)\/$/, renderFestival],
];

/**
 * The page's schema.org data (the API's `structured_data`) for search engines, as a
 * <script type="application/ld+json"> in <head>; removed when there is none. The JSON is
 * the element's text, never parsed as HTML, and "<" is written as \u003c (so are the two
 * line separators JavaScript once refused in strings): if the page is ever serialized to
 * HTML (server rendering, a prerenderer), a "</script>" typed into a title or summary
 * still cannot end the element.
 */
function setStructuredData(data) {
  document.getElementById("structured-data")?.remove();
  if (!data) return;
  const script = document.createElement("script");
  script.id = "structured-data";
  script.type = "application/ld+json";
  script.textContent = JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  document.head.append(script);
}

function show(element, title, structuredData = null) {
  app.replaceChildren(element);
  document.title = title ? `${title} · Marquee` : "Marquee";
  setStructuredData(structuredData);
  app.dataset.state = "ready";
}

function showPage(page) {
  const render = PAGE_RENDERERS[page.meta.type];
  if (!render) throw new ApiError(`This frontend does not render ${page.meta.type} pages.`, 404);
  show(render(page), page.meta.seo_title || page.title, page.structured_data);
  const description = document.querySelector('meta[name="description"]');
  if (page.meta.search_description) description.setAttribute("content", page.meta.search_description);
}

async function route() {
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  if (path === "/preview/") {
    document.getElementById("preview-banner").hidden = false;
    showPage(await api("preview/", { content_type: query.get("content_type"), token: query.get("token") }));
  } else if (path === "/") {
    show(await renderHome(), null);
  } else if (path === "/festivals/") {
    show(await renderFestivals(), "Festivals");
  } else if (path === "/grades/") {
    show(...renderGrades());
  } else if (SLUG_ROUTES.some(([pattern]) => pattern.test(path))) {
    const [pattern, render] = SLUG_ROUTES.find(([candidate]) => candidate.test(path));
    show(...(await render(decodeURIComponent(path.match(pattern)[1]))));
  } else if (path in LISTINGS) {
    const [heading, type] = LISTINGS[path];
    const offset = Math.max(0, Number.parseInt(query.get("offset") || "0", 10) || 0);
    show(renderListing(heading, await api("pages/", { type, limit: LISTING_LIMIT, offset }), type, offset), heading);
  } else {
    showPage(await api("pages/find/", { html_path: path }));
  }
}

function showError(error) {
  const status = error instanceof ApiError ? error.status : 0;
  const reason = error instanceof ApiError ? error.reason : null;
  const heading =
    reason === "cors" ? "Not allowed by the API" : status === 404 ? "Not found" : status === 403 ? "Preview unavailable" : "Something went wrong";
  app.replaceChildren(
    h("section", { class: "error", "data-status": status, "data-reason": reason }, h("h1", {}, heading), h("p", {}, error.message)),
  );
  document.title = `${heading} · Marquee`;
  setStructuredData(null);
  app.dataset.state = "error";
}

route().catch(showError);
