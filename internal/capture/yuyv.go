package capture

import (
	"fmt"
	"image"
)

// YUYV (V4L2_PIX_FMT_YUYV, "YUY2") is what every UVC webcam can deliver,
// where MJPEG is optional: two pixels in four bytes, Y0 Cb Y1 Cr, the two
// sharing their colour. The values are BT.601 in limited ("video") range,
// Y from 16 to 235 and Cb, Cr from 16 to 240, while JPEG's YCbCr is full
// range: the planes are stretched on the way, or black comes out grey.

// webcamQuality is the JPEG quality of a webcam photo made from YUYV,
// about what a camera's own MJPEG gives.
const webcamQuality = 80

var (
	lumaRange, chromaRange [256]uint8
)

func init() {
	for i := range 256 {
		lumaRange[i] = clamp8((i - 16) * 255 / 219)
		chromaRange[i] = clamp8((i-128)*255/224 + 128)
	}
}

func clamp8(v int) uint8 {
	return uint8(min(max(v, 0), 255))
}

// yuyvImage reads one YUYV frame of width×height whose rows are stride
// bytes apart (a driver may pad them) into a full-range 4:2:2 image,
// which image/jpeg encodes without a colour conversion of its own.
func yuyvImage(frame []byte, width, height, stride int) (*image.YCbCr, error) {
	if width <= 0 || height <= 0 || width%2 != 0 {
		return nil, fmt.Errorf("%w (YUYV frame %d×%d)", ErrCameraFormat, width, height)
	}
	if stride < 2*width {
		stride = 2 * width
	}
	if need := stride*(height-1) + 2*width; len(frame) < need {
		return nil, fmt.Errorf("%w (YUYV frame of %d bytes, want %d for %d×%d)", ErrCameraFormat, len(frame), need, width, height)
	}
	img := image.NewYCbCr(image.Rect(0, 0, width, height), image.YCbCrSubsampleRatio422)
	for y := range height {
		row := frame[y*stride : y*stride+2*width]
		yo, co := y*img.YStride, y*img.CStride
		for x := 0; x < width; x += 2 {
			p := row[2*x : 2*x+4]
			img.Y[yo+x] = lumaRange[p[0]]
			img.Y[yo+x+1] = lumaRange[p[2]]
			img.Cb[co+x/2] = chromaRange[p[1]]
			img.Cr[co+x/2] = chromaRange[p[3]]
		}
	}
	return img, nil
}

// yuyvToJPEG turns one YUYV frame into the JPEG a webcam photo is stored as.
func yuyvToJPEG(frame []byte, width, height, stride int) ([]byte, error) {
	img, err := yuyvImage(frame, width, height, stride)
	if err != nil {
		return nil, err
	}
	return encodeJPEG(img, webcamQuality)
}
