// Maps (Leaflet) of the buurt shapes this site serves itself; a base map only when configured.
// Every page with a map works without it: the place field, the buurt select and the lists
// carry the same information for keyboard and screen-reader users.
//
// <div data-kaart
//      data-vormen-url="…"     GeoJSON of the buurt shapes to draw
//      data-focus="BU…"        the buurt to outline and zoom to
//      data-buurt-url="…/__code__/"   a tap on a shape opens that buurt's page (the buurt list)
//      data-punt="lat,lon"     one fixed point (the officer's melding page)
//      data-punten-url="…"     points as JSON {"punten": [{lat, lon, titel, url}]}, clustered
//      data-kiezen             drop or move a pin in the enclosing form (see ``picker``)
//      data-adres-url="…"      optional: the address service (see ``lookUpAddress``)
//      data-tegels-url, data-tegels-attributie   optional base map tiles>
"use strict";

(() => {
  const L = window.L;
  if (!L) {
    return;
  }
  const SHAPE = { color: "#1b4d7a", weight: 1, opacity: 0.7, fillOpacity: 0.06 };
  const FOCUS = { color: "#b02a37", weight: 3, opacity: 1, fillOpacity: 0.12 };
  const NETHERLANDS = [52.2, 5.3];

  const fill = (template, naam) => (template || "").replace("%(naam)s", naam);

  async function fetchJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`${response.status} ${url}`);
    }
    return response.json();
  }

  // Even-odd over every ring, as the server's ``buurten.geo.contains`` counts.
  function contains(feature, lon, lat) {
    let inside = false;
    for (const polygon of feature.geometry.coordinates) {
      for (const ring of polygon) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i];
          const [xj, yj] = ring[j];
          if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
            inside = !inside;
          }
        }
      }
    }
    return inside;
  }

  function buurtAt(features, latlng) {
    return features.find((feature) => contains(feature, latlng.lng, latlng.lat)) || null;
  }

  function makeMap(element) {
    // maxZoom also without tiles: clustering needs it.
    const map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.5, maxZoom: 19 });
    map.setView(NETHERLANDS, 7);
    const tiles = element.dataset.tegelsUrl;
    if (tiles) {
      L.tileLayer(tiles, {
        attribution: element.dataset.tegelsAttributie || "",
        maxZoom: 19,
      }).addTo(map);
    }
    return map;
  }

  async function drawShapes(map, element) {
    const focus = element.dataset.focus;
    const data = await fetchJson(element.dataset.vormenUrl);
    const layer = L.geoJSON(data, {
      style: (feature) => (feature.properties.code === focus ? FOCUS : SHAPE),
      // The pin is placed by a tap anywhere, also on a shape: the shapes only show.
      interactive: !("kiezen" in element.dataset),
    });
    const picker = "kiezen" in element.dataset;
    if (!picker) {
      // Names on hover; the picker names the buurt under the pin in its status line instead.
      layer.eachLayer((shape) => shape.bindTooltip(shape.feature.properties.naam, { sticky: true }));
    }
    const link = element.dataset.buurtUrl;
    if (link && !picker) {
      // A tap on a shape goes where the list's link for that buurt goes (the list is the
      // keyboard's way: these are no tab stops either).
      layer.eachLayer((shape) => {
        const url = link.replace("__code__", encodeURIComponent(shape.feature.properties.code));
        shape.on("click", () => window.location.assign(url));
      });
    }
    layer.addTo(map);
    // No tab stop per shape (Leaflet lets a shape with a tooltip take focus): hundreds of them
    // stood between the place field and the buurt list, which are the keyboard's way in.
    layer.eachLayer((shape) => {
      const path = shape.getElement && shape.getElement();
      if (path) {
        path.setAttribute("tabindex", "-1");
      }
    });
    const focused = layer.getLayers().find((shape) => shape.feature.properties.code === focus);
    const bounds = (focused || layer).getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    }
    element.vormen = layer; // the picker outlines the buurt under the pin
    return data.features;
  }

  // The point within its buurt: the view holds both (zoomed in further, the base map shows
  // the streets when there is one).
  function drawPoint(map, element, features) {
    const latlng = L.latLng(element.dataset.punt.split(",").map(Number));
    L.marker(latlng, { keyboard: false, alt: element.dataset.puntLabel || "" }).addTo(map);
    const bounds = features.length ? L.geoJSON(features).getBounds() : null;
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds.extend(latlng), { padding: [8, 8] });
    } else {
      map.setView(latlng, 17);
    }
  }

  async function drawPoints(map, element) {
    const data = await fetchJson(element.dataset.puntenUrl);
    const group = L.markerClusterGroup ? L.markerClusterGroup() : L.featureGroup();
    for (const punt of data.punten) {
      const link = document.createElement("a");
      link.href = punt.url;
      link.textContent = punt.titel;
      group.addLayer(L.marker([punt.lat, punt.lon], { keyboard: false }).bindPopup(link));
    }
    group.addTo(map);
    element.dataset.punten = String(data.punten.length); // for tests and curious officers
    const bounds = group.getBounds();
    // Over the area's shapes the view stays on the whole area (the points lie in it).
    if (bounds.isValid() && !element.vormen) {
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    }
  }

  // Hook for the address service (issue 13 §2). With data-adres-url on the map element, the
  // nearest address to the pin is asked for (GET url?lat=…&lon=…, JSON with "adres",
  // "weergavenaam" or "label") and put in the place field, unless the resident typed there
  // since. Without the service, or when it fails, the place field stays as it is.
  async function lookUpAddress(element, latlng, field) {
    const url = element.dataset.adresUrl;
    if (!url || !field) {
      return;
    }
    const query = new URLSearchParams({ lat: latlng.lat.toFixed(6), lon: latlng.lng.toFixed(6) });
    try {
      const data = await fetchJson(`${url}?${query}`);
      const text = data.adres || data.weergavenaam || data.label;
      if (text && (field.value === "" || field.value === field.dataset.auto)) {
        field.value = text;
        field.dataset.auto = text;
      }
    } catch {
      // Offline or down: the resident describes the place in words.
    }
  }

  // The melding form: a tap drops the pin, dragging moves it; the hidden latitude/longitude,
  // the buurt select and (when empty) the place field follow, and the status line says
  // which buurt the pin is in, to confirm. The server decides the buurt again on submit.
  function picker(map, element, features) {
    const form = element.closest("form");
    const fields = form.elements;
    const status = form.querySelector("[data-kaart-status]");
    const clear = form.querySelector("[data-kaart-wis]");
    let marker = null;

    function place(latlng) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, alt: element.dataset.speldLabel || "" });
        marker.on("dragend", () => place(marker.getLatLng()));
        marker.addTo(map);
      }
      marker.setLatLng(latlng);
      fields.latitude.value = latlng.lat.toFixed(6);
      fields.longitude.value = latlng.lng.toFixed(6);
      const found = buurtAt(features, latlng);
      if (element.vormen) {
        const code = found ? found.properties.code : null;
        element.vormen.setStyle((feature) => (feature.properties.code === code ? FOCUS : SHAPE));
      }
      if (found) {
        if (fields.buurt) {
          fields.buurt.value = found.properties.code;
        }
        status.textContent = fill(element.dataset.inBuurt, found.properties.naam);
      } else {
        // Outside every shape: outside the gemeente, or (where some buurten have no shape on
        // the map) in one of those, which the resident picks in the select.
        const onbekend = "vormenOnvolledig" in element.dataset;
        const message = onbekend ? element.dataset.onbekend : element.dataset.buiten;
        status.textContent = features.length ? message || "" : "";
      }
      const waar = fields.waar;
      if (waar && found && (waar.value === "" || waar.value === waar.dataset.auto)) {
        waar.value = fill(element.dataset.plekTekst, found.properties.naam);
        waar.dataset.auto = waar.value;
      }
      if (clear) {
        clear.hidden = false;
      }
      lookUpAddress(element, latlng, waar);
    }

    // Into view without losing the buurt around it; zoomed in when the pin is far away.
    function show(latlng) {
      if (!map.getBounds().contains(latlng)) {
        map.setView(latlng, Math.max(map.getZoom(), 15));
      }
    }

    map.on("click", (event) => place(event.latlng));
    form.addEventListener("locatie", (event) => {
      const latlng = L.latLng(event.detail.lat, event.detail.lon);
      place(latlng);
      show(latlng);
    });
    if (clear) {
      clear.addEventListener("click", () => {
        if (marker) {
          marker.remove();
          marker = null;
        }
        fields.latitude.value = "";
        fields.longitude.value = "";
        if (fields.waar && fields.waar.value === fields.waar.dataset.auto) {
          fields.waar.value = "";
        }
        status.textContent = "";
        clear.hidden = true;
        if (element.vormen) {
          const focus = element.dataset.focus;
          element.vormen.setStyle((feature) => (feature.properties.code === focus ? FOCUS : SHAPE));
        }
      });
    }
    if (fields.latitude.value && fields.longitude.value) {
      // Back after a failed submit: the pin where it was.
      const latlng = L.latLng(Number(fields.latitude.value), Number(fields.longitude.value));
      place(latlng);
      show(latlng);
    }
  }

  async function init(element) {
    const map = makeMap(element);
    let features = [];
    try {
      if (element.dataset.vormenUrl) {
        features = await drawShapes(map, element);
      }
      if (element.dataset.punt) {
        drawPoint(map, element, features);
      }
      if (element.dataset.puntenUrl) {
        await drawPoints(map, element);
      }
    } catch (error) {
      element.dataset.kaartFout = String(error); // the map stays as far as it got
    }
    if ("kiezen" in element.dataset) {
      picker(map, element, features);
    }
    element.dataset.kaartKlaar = ""; // drawn: browser tests wait for this
  }

  for (const element of document.querySelectorAll("[data-kaart]")) {
    init(element);
  }
})();
