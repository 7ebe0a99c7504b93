// The generator's latest frame, letterboxed: the image keeps its aspect ratio inside the
// viewport, bars are black. `scale` is the image's size as a fraction of the viewport.
#version 330

#if defined VERTEX_SHADER

uniform vec2 scale;
out vec2 uv;

void main() {
    vec2 corner = vec2(gl_VertexID & 1, (gl_VertexID >> 1) & 1);   // 0,0 1,0 0,1 1,1 (strip)
    uv = vec2(corner.x, 1.0 - corner.y);                             // image row 0 at the top
    gl_Position = vec4((corner * 2.0 - 1.0) * scale, 0.0, 1.0);
}

#elif defined FRAGMENT_SHADER

uniform sampler2D image;
in vec2 uv;
out vec4 colour;

void main() {
    colour = vec4(texture(image, uv).rgb, 1.0);
}

#endif
